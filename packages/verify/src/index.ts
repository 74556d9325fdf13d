// @meshkit/verify: proofs over a synthesized cloud assembly (see README.md).
export * from './iam/index.js';
export { loadCloudAssembly, type CloudAssembly, type AssemblyStack, type Template } from './assembly/load.js';
export { verifyMesh, verifyAssembly, formatVerifyText, type VerifyOptions, type VerifyReport } from './verify.js';
export { staleStacks } from './stale.js';
export type { VerifyFinding } from './finding.js';
export type { AccessCell, PrincipalInfo } from './checks/access.js';
export {
  AssemblyModel,
  StackModel,
  isUnresolved,
  AGNOSTIC_ACCOUNT,
  AGNOSTIC_REGION,
  type Resolved,
} from './assembly/resolve.js';

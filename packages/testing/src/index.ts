/**
 * The repository's test kit: local peers of the AWS APIs Meshkit calls and helpers to make
 * failures reproducible. A devDependency of the packages whose tests and benchmarks use it; no
 * production package depends on it.
 */
export {
  startGlueEmulator,
  GlueEmulator,
  WRITE_OPERATIONS,
  type EmulatorFault,
  type GlueEmulatorOptions,
} from './glue-emulator.js';
export { MAX_SCHEMA_DEFINITION_LENGTH } from './glue-schema-registry.js';
export {
  startFaultProxy,
  type FaultProxy,
  type FaultProxyOptions,
  type FaultRates,
  type FaultStats,
} from './fault-proxy.js';
export { seededRandom } from './seeded-random.js';
export { requestBuffered, type BufferedResponse } from './http-request.js';
export {
  startMotoServer,
  motoSkip,
  motoCommand,
  VENV,
  SETUP,
  IN_CI,
  type MotoServer,
  type MotoServerOptions,
} from './moto-server.js';
export { PAUSE_AT_LINK_ENV, PAUSED_AT_LINK } from './pause-markers.js';
export { copyExampleMesh, EXAMPLE_MESH, EXAMPLE_MESH_PATCH, type CopyExampleMeshOptions } from './example-mesh.js';
export { ROOT } from './repo.js';
export { CHROMIUM, chromiumSkip, openSitePage, type SitePage } from './browser.js';

/**
 * The repository model: the one place that knows how a Meshkit repository is laid out and named —
 * name rules and product references, the paths of domains and products, a lazily loaded product
 * (manifest, contract, served majors, consumes), majors of versions, canonical JSON, atomic and
 * durable writes, and git access. The root and the repository lookup (`findRepoRoot`,
 * `findProducts`, `MESH_CONFIG_FILE`) are exported beside it from `config/load-config`.
 */
export * from './names.js';
export * from './paths.js';
export * from './version.js';
export * from './canonical-json.js';
export * from './atomic.js';
export * from './git.js';
export * from './product.js';
export type { ContractRead, PackageJsonRead, ProductContractFile } from './product-files.js';
export * from './copy-mesh.js';

/**
 * @meshkit/consumers — what consumers depend on: resolution of `consumes` against what producers
 * serve, the product lint (PRODUCT-… rules), deprecation windows for consumers, the impact of a
 * pending contract change (`mesh impact`) and retiring an older served major (`mesh retire`).
 */
export * from './mesh.js';
export * from './resolve.js';
export * from './cycles.js';
export * from './lint.js';
export * from './impact.js';
export * from './retire.js';
export * from './render.js';
export type { ConsumesCycle, ProductLintContext, ProductLintFinding, ProductLintRule } from './rules/types.js';
export { productLintRules } from './rules/index.js';

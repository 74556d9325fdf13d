// Barrel of the policy pack.
export * from './rule.js';
export * from './template-context.js';
export { refersTo, mentions, referencedId, jsonEqual, resolveResource } from './refs.js';
export * from './version.js';
export * from './pack.js';
export * from './packs.js';
export * from './suppression.js';
export * from './evaluate.js';
export * from './evaluate-stack.js';
export * from './suppress.js';
export * from './taggable-types.js';
export * from './mandatory-tags.js';
export * from './enforce.js';
export * from './report.js';
export * from './validate-assembly.js';
export * from './docs.js';
export {
  CONTRACT_ID_PARAMETER,
  DQ_RULESET_ARGUMENT,
  STAGING_PARAMETER,
  isProductTable,
  type StagingTableRecord,
} from './glue-structure.js';
export * from './staging.js';
export { isAccessLogTarget } from './s3-structure.js';
export { PRODUCT_METADATA_KEY } from './rules/dr/critical-replication.js';
export { DATA_SERVICES, WILDCARD_RESOURCE_EXCEPTIONS } from './rules/iam/no-wildcard-data-resources.js';
export {
  MESH_KNOWN_RESOURCE_TYPES,
  canonicalResourceType,
  isKnownResourceType,
  isCustomResourceType,
} from './known-types.js';
export { nestedTemplatesOf, type NestedTemplate } from './nested-templates.js';
export { sdkCalls, forbiddenCallReason, type SdkCall } from './custom-resources.js';

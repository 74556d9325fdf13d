import { BUILTIN_TAG_KEYS } from '@meshkit/contracts';

/**
 * Tag keys Meshkit sets on every taggable resource from the manifests (the default mandatory
 * keys of `mesh.config.yaml` `policy.tags`, checked by MESH-TAG-MANDATORY).
 */
export const MANDATORY_TAG_KEYS = BUILTIN_TAG_KEYS;
export type MandatoryTagKey = (typeof MANDATORY_TAG_KEYS)[number];

/** Values of the mandatory tags for one product (or a domain/platform: `product` = `-`). */
export type MandatoryTags = Record<MandatoryTagKey, string>;

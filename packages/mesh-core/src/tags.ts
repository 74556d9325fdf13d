/** Tag keys every taggable resource of the mesh must carry (policy MESH-TAG-MANDATORY). */
export const MANDATORY_TAG_KEYS = ['domain', 'product', 'owner', 'classification', 'cost-center', 'contract-version'] as const;
export type MandatoryTagKey = (typeof MANDATORY_TAG_KEYS)[number];

/** Values of the mandatory tags for one product (or a domain/platform: `product` = `-`). */
export type MandatoryTags = Record<MandatoryTagKey, string>;

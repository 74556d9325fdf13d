import { Aspects, AspectPriority, CfnResource, TagManager, Tags, type IAspect } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { MeshError } from '@meshkit/contracts';
import { MANDATORY_TAG_KEYS, type MandatoryTags } from '../tags.js';
import { MESH_TAGGABLE_TYPES } from './taggable-types.js';

/**
 * Tag priority of the mandatory tags: above the defaults of `Tags.of(x).add` (100) and
 * `Tags.of(x).remove` (200), so a default-priority removal or override cannot drop or change a
 * mandatory tag. A removal at a higher priority still wins in CDK — and then MESH-TAG-MANDATORY
 * fails synth: a mandatory tag never disappears silently.
 */
export const MESH_TAG_PRIORITY = 1000;

/** Options of {@link MeshTags.apply}. */
export interface MeshTagsOptions {
  /** Tag priority. @default MESH_TAG_PRIORITY (1000) */
  readonly priority?: number;
  /**
   * Keys that must be present and non-empty in `tags` (the mandatory keys of `mesh.config.yaml`
   * `policy.tags` that Meshkit sets itself).
   * @default MANDATORY_TAG_KEYS
   */
  readonly required?: readonly string[];
}

/**
 * Tags CloudFormation resources that CDK cannot tag (plain `CfnResource`s of a taggable type, e.g.
 * the Lambda function of CDK's bucket-notification handler) by overriding their `Tags`.
 */
class RawResourceTagger implements IAspect {
  constructor(private readonly tags: Readonly<Record<string, string>>) {}

  visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node) || TagManager.isTaggable(node) || TagManager.isTaggableV2(node)) return;
    const shape = MESH_TAGGABLE_TYPES[node.cfnResourceType];
    if (!shape) return;
    const props = (node as unknown as { _cfnProperties?: Record<string, unknown> })._cfnProperties ?? {};
    const existing = props.Tags;
    if (shape === 'list') {
      const keep = Array.isArray(existing)
        ? existing.filter((t) => !Object.hasOwn(this.tags, (t as { Key?: string })?.Key ?? ''))
        : [];
      node.addPropertyOverride('Tags', [...keep, ...Object.entries(this.tags).map(([k, v]) => ({ Key: k, Value: v }))]);
    } else {
      const keep = existing && typeof existing === 'object' && !Array.isArray(existing) ? existing : {};
      node.addPropertyOverride('Tags', { ...keep, ...this.tags });
    }
  }
}

/** Applies the mandatory tags — the one mutating part of the policy pack. */
export class MeshTags {
  /**
   * Applies the mandatory tags (values from the product/domain manifests) — and any other tags
   * given, e.g. `tags:` of product.yaml and domain.yaml — to every taggable resource under
   * `scope`, at {@link MESH_TAG_PRIORITY}.
   *
   * @throws MeshError (INVALID_CONFIG) when a required tag is missing or a tag is empty.
   */
  static apply(
    scope: IConstruct,
    tags: MandatoryTags | Readonly<Record<string, string>>,
    options: MeshTagsOptions = {},
  ): void {
    const given = (tags ?? {}) as Readonly<Record<string, string>>;
    for (const k of options.required ?? MANDATORY_TAG_KEYS) {
      if (given[k] === undefined)
        throw new MeshError('INVALID_CONFIG', `MeshTags.apply(${scope.node.path}): mandatory tag '${k}' is missing`);
    }
    for (const [k, v] of Object.entries(given)) {
      if (typeof v !== 'string' || v.trim() === '')
        throw new MeshError(
          'INVALID_CONFIG',
          `MeshTags.apply(${scope.node.path}): ${(options.required ?? MANDATORY_TAG_KEYS).includes(k) ? 'mandatory ' : ''}tag '${k}' is empty`,
        );
    }
    const priority = options.priority ?? MESH_TAG_PRIORITY;
    const values = { ...given };
    for (const [k, v] of Object.entries(values)) Tags.of(scope).add(k, v, { priority });
    Aspects.of(scope).add(new RawResourceTagger(values), { priority: AspectPriority.MUTATING });
  }
}

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
}

/**
 * Tags CloudFormation resources that CDK cannot tag (plain `CfnResource`s of a taggable type, e.g.
 * the Lambda function of CDK's bucket-notification handler) by overriding their `Tags`.
 */
class RawResourceTagger implements IAspect {
  constructor(private readonly tags: MandatoryTags) {}

  visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node) || TagManager.isTaggable(node) || TagManager.isTaggableV2(node)) return;
    const shape = MESH_TAGGABLE_TYPES[node.cfnResourceType];
    if (!shape) return;
    const props = (node as unknown as { _cfnProperties?: Record<string, unknown> })._cfnProperties ?? {};
    const existing = props.Tags;
    if (shape === 'list') {
      const keep = Array.isArray(existing) ? existing.filter((t) => !MANDATORY_TAG_KEYS.includes((t as { Key?: string })?.Key as never)) : [];
      node.addPropertyOverride('Tags', [...keep, ...MANDATORY_TAG_KEYS.map((k) => ({ Key: k, Value: this.tags[k] }))]);
    } else {
      const keep = existing && typeof existing === 'object' && !Array.isArray(existing) ? existing : {};
      node.addPropertyOverride('Tags', { ...keep, ...this.tags });
    }
  }
}

/** Applies the mandatory tags — the one mutating part of the policy pack. */
export class MeshTags {
  /**
   * Applies the mandatory tags (values from the product/domain manifests) to every taggable
   * resource under `scope`, at {@link MESH_TAG_PRIORITY}.
   *
   * @throws MeshError (INVALID_CONFIG) when a mandatory tag is missing or empty.
   */
  static apply(scope: IConstruct, tags: MandatoryTags, options: MeshTagsOptions = {}): void {
    for (const k of MANDATORY_TAG_KEYS) {
      const v = tags?.[k];
      if (typeof v !== 'string' || v.trim() === '') {
        throw new MeshError('INVALID_CONFIG', `MeshTags.apply(${scope.node.path}): mandatory tag '${k}' is ${v === undefined ? 'missing' : 'empty'}`);
      }
    }
    const priority = options.priority ?? MESH_TAG_PRIORITY;
    const values = Object.fromEntries(MANDATORY_TAG_KEYS.map((k) => [k, tags[k]])) as MandatoryTags;
    for (const k of MANDATORY_TAG_KEYS) Tags.of(scope).add(k, values[k], { priority });
    Aspects.of(scope).add(new RawResourceTagger(values), { priority: AspectPriority.MUTATING });
  }
}

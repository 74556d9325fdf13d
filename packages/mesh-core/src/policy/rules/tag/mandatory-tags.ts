import { violation, type PolicyRule } from '../../rule.js';
import { branches, stackOf } from '../../values.js';
import { DEFAULT_TAG_REQUIREMENTS, requirementLevel, tagValueProblem, type TagRequirement } from '@meshkit/contracts';
import { MESH_TAGGABLE_TYPES, readTags } from '../../taggable-types.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';

/**
 * Every taggable resource carries the mandatory tags of `mesh.config.yaml` `policy.tags`
 * (default: the six keys Meshkit sets), non-empty and matching their allowed values or pattern.
 * A key with an `enforceFrom` in the future gives a warning carrying that date.
 */
export const MandatoryTagsRule: PolicyRule = {
  id: 'MESH-TAG-MANDATORY',
  area: 'TAG',
  title: `Taggable resources carry the mandatory tags of mesh.config.yaml policy.tags (default ${DEFAULT_TAG_REQUIREMENTS.map((r) => r.key).join(', ')}), non-empty and with allowed values`,
  rationale:
    'Ownership, cost allocation and classification of every resource come from these tags; a resource without them has no owner to page and no budget to charge.',
  fix: "Give each mandatory key of mesh.config.yaml policy.tags a value in domain.yaml or product.yaml `tags:` (mesh lint shows which are missing); let MeshTags apply the tags from the manifests (enforceMeshPolicies(app, { tags }) or MeshTags.apply(stack, tags)); do not remove them with Tags.of(x).remove(...) at a priority above MeshTags', and do not override them with `Fn::If` or values the template cannot resolve (every branch must be non-empty).",
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: Object.keys(MESH_TAGGABLE_TYPES),
  check(r, ctx) {
    const tags = readTags(r.properties.Tags);
    if (!tags) return violation('Tags is not a literal list or map, so the mandatory tags cannot be verified');
    const missing: string[] = [];
    const empty: string[] = [];
    const unresolved: string[] = [];
    const wrong: string[] = [];
    const now = ctx.now;
    // Keys enforced later: their findings alone make a warning carrying the (latest) date.
    const later = new Map<string, string>();
    const reqs: readonly TagRequirement[] = ctx.settings.tags ?? DEFAULT_TAG_REQUIREMENTS;
    for (const req of reqs) {
      const k = req.key;
      const before = missing.length + empty.length + unresolved.length + wrong.length;
      checkKey(req);
      if (
        missing.length + empty.length + unresolved.length + wrong.length > before &&
        req.enforceFrom !== undefined &&
        requirementLevel(req, now) === 'warning'
      )
        later.set(k, req.enforceFrom);
    }
    function checkKey(req: TagRequirement): void {
      const k = req.key;
      if (!tags!.has(k)) {
        missing.push(k);
        return;
      }
      const v = tags!.get(k);
      if (typeof v === 'string') {
        if (v.trim() === '') empty.push(k);
        else {
          const problem = tagValueProblem(req, v);
          if (problem) wrong.push(problem);
        }
        return;
      }
      // Values, not spellings: every Fn::If branch must give a non-empty string.
      const all = branches(v);
      for (const b of all) {
        const value = stackOf(ctx).resolve(b);
        if (value === null || (typeof value === 'string' && value.trim() === '')) {
          empty.push(all.length > 1 ? `${k} (in one branch of its Fn::If)` : k);
          return;
        }
        if (typeof value !== 'string') {
          unresolved.push(k);
          return;
        }
        const problem = tagValueProblem(req, value);
        if (problem) {
          wrong.push(problem);
          return;
        }
      }
    }
    if (missing.length === 0 && empty.length === 0 && unresolved.length === 0 && wrong.length === 0) return 'compliant';
    const parts: string[] = [];
    if (missing.length > 0) parts.push(`missing mandatory tag${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
    if (empty.length > 0) parts.push(`empty mandatory tag${empty.length > 1 ? 's' : ''} ${empty.join(', ')}`);
    if (unresolved.length > 0)
      parts.push(
        `mandatory tag${unresolved.length > 1 ? 's' : ''} ${unresolved.join(', ')} cannot be resolved from the template (set literal values)`,
      );
    parts.push(...wrong);
    const all = missing.length + empty.length + unresolved.length + wrong.length;
    // Only keys enforced later are wrong: a warning until the latest of their dates.
    const enforceFrom = later.size === all ? [...later.values()].sort().pop() : undefined;
    return violation(parts.join('; '), enforceFrom);
  },
};

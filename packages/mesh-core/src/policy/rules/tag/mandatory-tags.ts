import { violation, type PolicyRule } from '../../rule.js';
import { branches, stackOf } from '../../values.js';
import { MANDATORY_TAG_KEYS } from '../../../tags.js';
import { MESH_TAGGABLE_TYPES, readTags } from '../../taggable-types.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';

/** Every taggable resource carries the mandatory tags, non-empty. */
export const MandatoryTagsRule: PolicyRule = {
  id: 'MESH-TAG-MANDATORY',
  area: 'TAG',
  title: `Taggable resources carry the mandatory tags (${MANDATORY_TAG_KEYS.join(', ')}), non-empty`,
  rationale: 'Ownership, cost allocation and classification of every resource come from these tags; a resource without them has no owner to page and no budget to charge.',
  fix: 'Let MeshTags apply the tags from the manifests (enforceMeshPolicies(app, { tags }) or MeshTags.apply(stack, tags)); do not remove them with Tags.of(x).remove(...) at a priority above MeshTags\', and do not override them with `Fn::If` or values the template cannot resolve (every branch must be non-empty).',
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: Object.keys(MESH_TAGGABLE_TYPES),
  check(r, ctx) {
    const tags = readTags(r.properties.Tags);
    if (!tags) return violation('Tags is not a literal list or map, so the mandatory tags cannot be verified');
    const missing: string[] = [];
    const empty: string[] = [];
    const unresolved: string[] = [];
    for (const k of MANDATORY_TAG_KEYS) {
      if (!tags.has(k)) {
        missing.push(k);
        continue;
      }
      const v = tags.get(k);
      if (typeof v === 'string') {
        if (v.trim() === '') empty.push(k);
        continue;
      }
      // Values, not spellings: every Fn::If branch must give a non-empty string.
      const all = branches(v);
      for (const b of all) {
        const value = stackOf(ctx).resolve(b);
        if (value === null || (typeof value === 'string' && value.trim() === '')) {
          empty.push(all.length > 1 ? `${k} (in one branch of its Fn::If)` : k);
          break;
        }
        if (typeof value !== 'string') {
          unresolved.push(k);
          break;
        }
      }
    }
    if (missing.length === 0 && empty.length === 0 && unresolved.length === 0) return 'compliant';
    const parts: string[] = [];
    if (missing.length > 0) parts.push(`missing mandatory tag${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
    if (empty.length > 0) parts.push(`empty mandatory tag${empty.length > 1 ? 's' : ''} ${empty.join(', ')}`);
    if (unresolved.length > 0) parts.push(`mandatory tag${unresolved.length > 1 ? 's' : ''} ${unresolved.join(', ')} cannot be resolved from the template (set literal values)`);
    return violation(parts.join('; '));
  },
};

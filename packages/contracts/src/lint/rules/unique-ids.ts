import { formatPath } from '../../load/schema-diagnostics.js';
import type { LintRule } from '../types.js';

// Keys whose values are free-form data, not contract structure: an `id` inside them is not a stable id.
const OPAQUE = new Set([
  'value',
  'valueExt',
  'examples',
  'arguments',
  'implementation',
  'mustBe',
  'mustNotBe',
  'mustBeBetween',
  'mustNotBeBetween',
  'logicalTypeOptions',
  'validValues',
  'query',
]);

/** CONTRACT-UNIQUE-IDS: every `id` in the contract is unique. */
export const uniqueIds: LintRule = {
  id: 'CONTRACT-UNIQUE-IDS',
  defaultSeverity: 'error',
  rationale:
    'Ids are how diffs, lineage and quality results refer to parts of a contract; a duplicate makes them ambiguous.',
  description:
    'Every string `id` in the contract — the contract itself, servers, schema objects, properties at any ' +
    'depth, quality rules, team and members, roles, support channels, SLA entries, authoritative definitions, custom ' +
    'properties — is unique across the whole document (stricter than ODCS, which asks uniqueness within each list). ' +
    'Free-form values (custom property values, examples, quality arguments and implementations) are not searched. ' +
    'Every repetition after the first is reported.',
  *check({ contract }) {
    const first = new Map<string, Array<string | number>>();
    const stack: Array<{ node: unknown; path: Array<string | number> }> = [{ node: contract, path: [] }];
    const found: Array<{ id: string; path: Array<string | number> }> = [];
    while (stack.length) {
      const { node, path } = stack.pop()!;
      if (Array.isArray(node)) {
        for (let i = node.length - 1; i >= 0; i--)
          if (node[i] && typeof node[i] === 'object') stack.push({ node: node[i], path: [...path, i] });
      } else if (node && typeof node === 'object') {
        const entries = Object.entries(node);
        for (let i = entries.length - 1; i >= 0; i--) {
          const [k, v] = entries[i]!;
          if (k === 'id' && typeof v === 'string') found.push({ id: v, path });
          else if (v && typeof v === 'object' && !OPAQUE.has(k)) stack.push({ node: v, path: [...path, k] });
        }
      }
    }
    // `found` is in document order except that an object's own id comes before its children, as wanted.
    for (const { id, path } of found) {
      const seen = first.get(id);
      if (seen === undefined) {
        first.set(id, path);
        continue;
      }
      yield {
        path: [...path, 'id'],
        message: `id '${id}' is already used by ${seen.length ? formatPath(seen) : 'the contract'}: ids must be unique in the contract`,
      };
    }
  },
};

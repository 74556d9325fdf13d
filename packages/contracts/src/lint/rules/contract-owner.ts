import type { TeamMember } from '../../odcs.js';
import { customPropertyIndex, text } from '../helpers.js';
import type { LintRule } from '../types.js';

const named = (m: TeamMember | undefined): boolean =>
  !!m && typeof m === 'object' && (text(m.username) ?? text(m.name)) !== undefined;

/** CONTRACT-OWNER: the contract names the team that owns it. */
export const contractOwner: LintRule = {
  id: 'CONTRACT-OWNER',
  defaultSeverity: 'warn',
  rationale: 'Every data product needs an accountable owner consumers can reach.',
  description:
    'The contract names its owner in one of three ways: an ODCS v3.1 `team` object with a non-empty `name` ' +
    'or at least one member with a `username` or `name`; an ODCS v3.0 `team` array with at least one such member; or a ' +
    'contract custom property `owner` with a non-empty string value. An empty `team` is reported at `team`, a missing ' +
    'owner at the top of the document.',
  *check({ contract }) {
    const team = contract.team;
    if (
      Array.isArray(team)
        ? team.some(named)
        : team && typeof team === 'object' && (text(team.name) !== undefined || (team.members ?? []).some(named))
    )
      return;
    const customProperties = contract.customProperties;
    const i = customPropertyIndex(customProperties, 'owner');
    if (i >= 0 && text(customProperties?.[i]?.value) !== undefined) return;
    if (team !== undefined) {
      yield {
        path: ['team'],
        key: true,
        message: "'team' names no owner: give the team a 'name' or at least one member with a 'username'",
      };
    } else if (i >= 0) {
      yield {
        path: ['customProperties', i, 'value'],
        message: "custom property 'owner' is empty: set it to the owning team",
      };
    } else {
      yield {
        path: [],
        message: "the contract has no owner: add a 'team' with a 'name' (or members), or a custom property 'owner'",
      };
    }
  },
};

import { unreadableSlaValue } from '../../diff/sla.js';
import type { LintRule } from '../types.js';

/** CONTRACT-SLA-VALUE: directional SLA values are written in a form the diff can compare. */
export const slaValue: LintRule = {
  id: 'CONTRACT-SLA-VALUE',
  defaultSeverity: 'warn',
  rationale:
    'The breaking-change diff can only tell a weakened SLA from a strengthened one when it can read the value.',
  description:
    'The `value` of every `slaProperties` entry with a direction (latency, freshness, frequency, errorRate, ' +
    'retention, availability, throughput, endOfSupport, endOfLife) is readable: a number with a `unit`, a unit-suffixed ' +
    'value (`25h`, `15m`, `7d`, `2 weeks`), an ISO 8601 duration (`PT15M`, `P1D`, `P6M`), a percentage (`99.9%`), or ' +
    'for endOfSupport / endOfLife a date. Otherwise `mesh contract diff` reports a change of it as METADATA_CHANGED ' +
    'with a note that it could not compare. Reported at the value.',
  *check({ contract }) {
    const list = Array.isArray(contract.slaProperties) ? contract.slaProperties : [];
    for (const [i, entry] of list.entries()) {
      if (!entry || typeof entry !== 'object') continue;
      const why = unreadableSlaValue(entry);
      if (why) {
        yield {
          path: ['slaProperties', i, 'value'],
          message: `SLA '${String(entry.property)}' value ${JSON.stringify(entry.value ?? null)}${entry.unit ? ` (unit ${JSON.stringify(entry.unit)})` : ''} cannot be compared: it is ${why}`,
        };
      }
    }
  },
};

import { COMPATIBILITY_MODES, COMPATIBILITY_PROPERTY, parseCompatibilityMode } from '../../diff/verdict.js';
import { customPropertyIndex } from '../helpers.js';
import type { LintRule } from '../types.js';

/** CONTRACT-COMPATIBILITY-MODE: `meshkit.compatibility` names a known mode. */
export const compatibilityMode: LintRule = {
  id: 'CONTRACT-COMPATIBILITY-MODE',
  defaultSeverity: 'error',
  rationale:
    'The breaking-change gate reads its mode from this property; a typo would silently fall back or fail the diff.',
  description:
    `When the contract custom property \`${COMPATIBILITY_PROPERTY}\` is present, its value is one of ` +
    `${COMPATIBILITY_MODES.join(', ')} — case-insensitive, surrounding blanks ignored: the same spelling rule ` +
    '`mesh contract diff` reads it with (`parseCompatibilityMode`). Without it the mode defaults to FULL.',
  *check({ contract }) {
    const list = contract.customProperties;
    const i = customPropertyIndex(list, COMPATIBILITY_PROPERTY);
    if (i < 0) return;
    const v = list?.[i]?.value;
    if (parseCompatibilityMode(v)) return;
    yield {
      path: ['customProperties', i, 'value'],
      message: `${COMPATIBILITY_PROPERTY} ${JSON.stringify(v ?? null)} is not a compatibility mode: use one of ${COMPATIBILITY_MODES.join(', ')}`,
    };
  },
};

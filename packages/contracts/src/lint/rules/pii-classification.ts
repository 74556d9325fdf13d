import { effectiveClassification, isPii, orList, PII_CLASSIFICATIONS } from '../helpers.js';
import type { LintRule } from '../types.js';

const ALLOWED: ReadonlySet<string> = new Set(PII_CLASSIFICATIONS);

/** CONTRACT-PII-CLASSIFICATION: personal data is classified confidential or restricted. */
export const piiClassification: LintRule = {
  id: 'CONTRACT-PII-CLASSIFICATION',
  defaultSeverity: 'error',
  rationale: 'Personal data must never be readable under a public or internal grant.',
  description:
    'A property tagged as PII — a tag containing the word `pii` (case-insensitive: `pii`, `PII`, ' +
    '`pii:email`; not the tags that deny it: `pii:false`, `pii: false`, `pii=no`, `non-pii`, `no-pii`) or the custom ' +
    'property `pii: true` — has the classification `restricted` or `confidential` ' +
    '(its own, or else inherited from the enclosing property). Reported at the classification, or at the property ' +
    'when it has none.',
  *check(ctx) {
    for (const visit of ctx.properties()) {
      if (!isPii(visit.property)) continue;
      const c = effectiveClassification(visit);
      if (c && ALLOWED.has(c.value.toLowerCase())) continue;
      const allowed = orList(PII_CLASSIFICATIONS.map((l) => `'${l}'`));
      yield c
        ? {
            path: c.path,
            message: `property '${visit.name}' is tagged PII but classified '${c.value}': classify it ${allowed}`,
          }
        : {
            path: visit.path,
            message: `property '${visit.name}' is tagged PII but has no classification: classify it ${allowed}`,
          };
    }
  },
};

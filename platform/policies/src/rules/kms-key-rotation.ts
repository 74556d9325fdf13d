import type { PolicyRule } from '@meshkit/core';

/** Longest rotation period of a customer-managed key, in days. */
export const MAX_ROTATION_DAYS = 180;

/**
 * EXAMPLE-ENC-KMS-ROTATION-PERIOD: the customer-managed symmetric keys of the domains
 * (foundations and products) rotate at least every 180 days (stricter than AWS's 365-day
 * default); the platform stacks' keys are the platform team's own. Warned first: enforced from
 * the date of mesh.config.yaml policy.rules (or `enforceFrom` below).
 */
export const KmsKeyRotationPeriodRule: PolicyRule = {
  id: 'EXAMPLE-ENC-KMS-ROTATION-PERIOD',
  area: 'ENC',
  title: `Customer-managed KMS keys rotate at least every ${MAX_ROTATION_DAYS} days`,
  rationale: 'The organisation\'s key-management standard limits how long one key version protects data.',
  fix: `Set rotationPeriod: Duration.days(${MAX_ROTATION_DAYS}) on the key (for a domain foundation: in domains/<domain>/foundation/stack.ts customize).`,
  since: '0.1.0',
  enforceFrom: '2099-01-01',
  resourceTypes: ['AWS::KMS::Key'],
  check(r, ctx) {
    if (ctx.stackKind === 'other') return 'not-applicable';
    if (r.properties.KeySpec !== undefined && r.properties.KeySpec !== 'SYMMETRIC_DEFAULT') return 'not-applicable';
    const days = r.properties.RotationPeriodInDays;
    if (typeof days === 'number' && days <= MAX_ROTATION_DAYS) return 'compliant';
    return { violation: `the key rotates every ${typeof days === 'number' ? days : 365} days; at most ${MAX_ROTATION_DAYS} allowed` };
  },
};

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { App, Stack, Validations, aws_s3 as s3, type PolicyValidationPluginReport } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { DomainFoundation } from '../src/constructs/domain-foundation.js';
import { PlatformFoundation } from '../src/constructs/platform-foundation.js';

function foundationApp(): { app: App; stack: Stack } {
  const app = new App();
  const stack = new Stack(app, 'Foundations', { env: { account: '111122223333', region: 'eu-west-1' } });
  new PlatformFoundation(stack, 'Platform', {
    domains: ['sales', 'hr'],
    restrictedProducts: [{ domain: 'hr', product: 'payroll' }],
    lakeFormationAdmins: ['arn:aws:iam::111122223333:role/DataPlatformAdmin'],
    catalogReaderRoles: ['arn:aws:iam::444455556666:role/analytics-reader'],
  });
  new DomainFoundation(stack, 'Sales', {
    domainName: 'sales',
    owner: 'sales-team',
    costCenter: 'cc-100',
    consumerRoles: ['arn:aws:iam::444455556666:role/partner-reader'],
  });
  app.synth(); // run aspects (tags) first, as at deploy
  return { app, stack };
}

const describeViolations = (report: PolicyValidationPluginReport): string =>
  report.violations
    .map(
      (v) =>
        `${v.ruleName} (${v.severity}): ${v.violatingResources.map((r) => r.constructPath ?? r.resourceLogicalId).join(', ')}`,
    )
    .join('\n');

/** Every acknowledgement recorded under `scope`: `[path, ruleId, reason]`. */
function acknowledgements(scope: IConstruct): Array<[string, string, string]> {
  return scope.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((m) =>
          Object.entries(m.data as Record<string, string>).map(([id, reason]): [string, string, string] => [
            c.node.path,
            id,
            reason,
          ]),
        ),
    );
}

describe('cdk-nag AwsSolutions over both foundations', () => {
  const { app } = foundationApp();
  const report = new AwsSolutionsChecks().validateScope(app);

  test('no unacknowledged errors', () => {
    const errors = report.violations.filter((v) => v.severity === 'error');
    assert.equal(errors.length, 0, describeViolations(report));
  });

  test('no unacknowledged warnings either', () => {
    assert.equal(report.violations.length, 0, describeViolations(report));
    assert.equal(report.success, true);
  });

  test('every acknowledgement is on an access-log bucket, with a written reason', () => {
    const acks = acknowledgements(app).filter(([, id]) => id.includes('AwsSolutions-'));
    assert.deepEqual(acks.map(([path, id]) => [path, id.replace(/^annotation::/i, '')]).sort(), [
      ['Foundations/Platform/AccessLogs/Bucket', 'AwsSolutions-S1'],
      ['Foundations/Sales/AccessLogs/Bucket', 'AwsSolutions-S1'],
    ]);
    for (const [, , reason] of acks) assert.ok(reason.length >= 10, reason);
  });

  test('the check is live: a plain bucket added beside the foundations is reported', () => {
    const app2 = new App();
    const stack = new Stack(app2, 'Broken');
    new DomainFoundation(stack, 'Sales', { domainName: 'sales', owner: 'o', costCenter: 'c' });
    new s3.Bucket(stack, 'Plain');
    const broken = new AwsSolutionsChecks().validateScope(app2);
    const rules = broken.violations.map((v) => v.ruleName);
    assert.ok(rules.includes('AwsSolutions-S1') && rules.includes('AwsSolutions-S10'), describeViolations(broken));
    assert.ok(
      broken.violations.every((v) => v.violatingResources.every((r) => r.constructPath?.startsWith('Broken/Plain'))),
      describeViolations(broken),
    );
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { isMeshError } from '@meshkit/contracts';
import { ProductQualityRuleset } from '../src/constructs/product-quality-ruleset.js';

const props = (dqdl: string) => ({
  rulesetName: 'sales-orders-v1-dq',
  dqdl,
  databaseName: 'sales',
  tableName: 'orders_v1',
});

test('ProductQualityRuleset: the DQDL, tied to the table', () => {
  const stack = new Stack(new App(), 'S');
  const rs = new ProductQualityRuleset(stack, 'Q', props('Rules = [\n  IsComplete "id"\n]\n'));
  assert.equal(rs.rulesetName, 'sales-orders-v1-dq');
  Template.fromStack(stack).hasResourceProperties('AWS::Glue::DataQualityRuleset', {
    Name: 'sales-orders-v1-dq',
    Ruleset: 'Rules = [\n  IsComplete "id"\n]\n',
    TargetTable: { DatabaseName: 'sales', TableName: 'orders_v1' },
  });
});

test('ProductQualityRuleset: DQDL Glue would refuse fails at construction, with its line and column', () => {
  for (const [dqdl, re] of [
    ['Rules = []\n', /props\.dqdl is not DQDL that Glue accepts: line 1:1: No rules or analyzers provided/],
    ['Rules = [\n  RowCount > 1e21\n]\n', /line 2:14: expected a number/],
  ] as const) {
    const stack = new Stack(new App(), 'S');
    assert.throws(
      () => new ProductQualityRuleset(stack, 'Q', props(dqdl)),
      (e: unknown) => isMeshError(e) && e.code === 'DQDL_UNEXPRESSIBLE' && re.test(e.message),
    );
  }
});

// MESH-TAG-MANDATORY with the mandatory tags of mesh.config.yaml policy.tags: an extra key, its
// pattern and allowed values, its enforcement date (a warning carrying the date until then), and
// the per-rule settings of policy.rules applied by loadPolicyRules.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { App, Stack, aws_s3 as s3 } from 'aws-cdk-lib';
import { DEFAULT_TAG_REQUIREMENTS, loadMeshConfig, type PolicySettings, type TagRequirement } from '@meshkit/contracts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_POLICY_SETTINGS,
  evaluateTemplate,
  loadPolicyRules,
  MandatoryTagsRule,
  MeshTags,
} from '../src/index.js';

const BASE = {
  domain: 'sales',
  product: 'orders',
  owner: 'team-sales',
  classification: 'internal',
  'cost-center': 'cc-1',
  'contract-version': '1.0.0',
};
const STEWARD: TagRequirement = { key: 'data-steward', pattern: '^[a-z.-]+@example\\.com$', enforceFrom: '2030-01-01' };
const settings = (tags: TagRequirement[]): PolicySettings => ({ ...DEFAULT_POLICY_SETTINGS, tags });

function findings(tags: Record<string, string>, reqs: TagRequirement[], now: string) {
  const app = new App();
  const stack = new Stack(app, 'S');
  new s3.Bucket(stack, 'B');
  MeshTags.apply(stack, tags, { required: [] });
  const template = app.synth().getStackByName('S').template as object;
  return evaluateTemplate(template, { rules: [MandatoryTagsRule], settings: settings(reqs), now: new Date(now) });
}

describe('MESH-TAG-MANDATORY with policy.tags', () => {
  const reqs = [...DEFAULT_TAG_REQUIREMENTS, STEWARD];

  it('a key enforced later: a warning carrying the date; an error from it', () => {
    const before = findings(BASE, reqs, '2029-12-31T12:00:00Z');
    assert.ok(before.length > 0);
    assert.ok(
      before.every(
        (f) =>
          f.level === 'warning' &&
          f.enforceFrom === '2030-01-01' &&
          /missing mandatory tag data-steward/.test(f.message),
      ),
    );
    const on = findings(BASE, reqs, '2030-01-01T00:00:00Z');
    assert.ok(on.every((f) => f.level === 'error' && f.enforceFrom === undefined));
  });

  it('a value breaking the pattern or the allowed values is a violation; a good one complies', () => {
    const bad = findings({ ...BASE, 'data-steward': 'Bob' }, reqs, '2031-01-01');
    assert.match(bad[0]!.message, /tag 'data-steward' is 'Bob', which does not match the pattern/);
    assert.deepEqual(findings({ ...BASE, 'data-steward': 'bob@example.com' }, reqs, '2031-01-01'), []);
    const tiers = findings(
      { ...BASE, tier: 'bronze' },
      [...DEFAULT_TAG_REQUIREMENTS, { key: 'tier', values: ['gold', 'silver'] }],
      '2031-01-01',
    );
    assert.match(tiers[0]!.message, /'bronze', not one of the allowed values \(gold, silver\)/);
  });

  it('a key enforced now and one enforced later both missing: an error (the enforced one decides)', () => {
    const both = findings(BASE, [...reqs, { key: 'cost-owner' }], '2029-06-01');
    assert.ok(both.every((f) => f.level === 'error'));
    assert.match(both[0]!.message, /missing mandatory tags data-steward, cost-owner/);
  });

  it('without policy.tags the six built-in keys are required', () => {
    const { owner: _o, ...noOwner } = BASE;
    assert.match(
      findings(noOwner, [...DEFAULT_TAG_REQUIREMENTS], '2030-01-01')[0]!.message,
      /missing mandatory tag owner/,
    );
  });
});

describe('loadPolicyRules: policy.rules settings', () => {
  it("level warning never fails, level off drops the rule, enforceFrom overrides the rule's date; the pack's object is not changed", async () => {
    const root = mkdtempSync(join(tmpdir(), 'mesh-rules-'));
    writeFileSync(join(root, 'package.json'), '{}');
    writeFileSync(
      join(root, 'mesh.config.yaml'),
      'organisation: A\nnpmScope: "@a"\npolicy:\n  rules:\n    MESH-TAG-MANDATORY: { level: warning }\n    MESH-LOG-S3-ACCESS: { level: "off" }\n    MESH-ENC-S3: { enforceFrom: "2031-01-01" }\n',
    );
    const config = loadMeshConfig(join(root, 'mesh.config.yaml')).value;
    const loaded = await loadPolicyRules(root, config);
    const byId = new Map(loaded.rules.map((r) => [r.id, r]));
    assert.equal(byId.get('MESH-TAG-MANDATORY')!.level, 'warning');
    assert.equal(byId.has('MESH-LOG-S3-ACCESS'), false);
    assert.equal(byId.get('MESH-ENC-S3')!.enforceFrom, '2031-01-01');
    assert.equal(typeof byId.get('MESH-ENC-S3')!.check, 'function');
    assert.equal(MandatoryTagsRule.level, undefined, 'the pack rule itself is unchanged');
    assert.equal(loaded.origins.get('MESH-LOG-S3-ACCESS')?.pack, '@meshkit/core');
    const app = new App();
    const stack = new Stack(app, 'S');
    new s3.Bucket(stack, 'B');
    const f = evaluateTemplate(app.synth().getStackByName('S').template as object, {
      rules: loaded.rules,
      now: new Date('2040-01-01'),
    }).filter((x) => x.ruleId === 'MESH-TAG-MANDATORY');
    assert.ok(f.length > 0 && f.every((x) => x.level === 'warning' && x.enforceFrom === undefined));
  });
});

/** The engine on template JSON: indexing by type, levels, suppressions, reference helpers. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  evaluateTemplate,
  evaluateTemplates,
  ruleLevel,
  refersTo,
  mentions,
  expiryInstant,
  type PolicyRule,
} from '../src/index.js';

const bucket = (props: object = {}, metadata: object = {}) => ({
  Type: 'AWS::S3::Bucket',
  Properties: props,
  Metadata: metadata,
});

describe('evaluateTemplate', () => {
  it('calls a rule only for its resource types, and reports the aws:cdk:path', () => {
    const seen: string[] = [];
    const rule: PolicyRule = {
      id: 'MESH-ENC-TEST',
      area: 'ENC',
      title: 't',
      rationale: 'r',
      fix: 'f',
      since: '0.1.0',
      resourceTypes: ['AWS::S3::Bucket'],
      check: (r) => {
        seen.push(r.logicalId);
        return r.properties.BucketEncryption ? 'compliant' : { violation: 'no encryption' };
      },
    };
    const findings = evaluateTemplate(
      {
        Resources: {
          A: bucket({}, { 'aws:cdk:path': 'Stack/A/Resource' }),
          B: bucket({ BucketEncryption: {} }),
          T: { Type: 'AWS::SNS::Topic', Properties: {} },
        },
      },
      { rules: [rule], stackName: 'Stack' },
    );
    assert.deepEqual(seen, ['A', 'B']);
    assert.deepEqual(findings, [
      {
        ruleId: 'MESH-ENC-TEST',
        level: 'error',
        message: 'no encryption',
        logicalId: 'A',
        resourceType: 'AWS::S3::Bucket',
        constructPath: 'Stack/A/Resource',
        stackName: 'Stack',
      },
    ]);
  });
  it('a rule that throws is an error finding, not a crash', () => {
    const rule: PolicyRule = {
      id: 'MESH-ENC-BOOM',
      area: 'ENC',
      title: 't',
      rationale: 'r',
      fix: 'f',
      since: '0.1.0',
      check: () => {
        throw new Error('boom');
      },
    };
    const [f] = evaluateTemplate({ Resources: { A: bucket() } }, { rules: [rule] });
    assert.equal(f?.level, 'error');
    assert.match(f.message, /rule failed on this resource: boom/);
  });
  it('enforceFrom decides the level', () => {
    const rule = { enforceFrom: '2026-06-01' } as PolicyRule;
    assert.equal(ruleLevel(rule, new Date('2026-05-31T23:59:59Z')), 'warning');
    assert.equal(ruleLevel(rule, new Date('2026-06-01T00:00:00Z')), 'error');
    assert.equal(ruleLevel({}, new Date()), 'error');
  });
  it('the whole pack on an empty template finds nothing', () => {
    assert.deepEqual(evaluateTemplate({}), []);
    assert.deepEqual(evaluateTemplate({ Resources: {} }), []);
  });
  it('suppressions: a date-only expiry is valid through that day (UTC); every suppression is reported', () => {
    const meta = {
      'meshkit:suppressions': [
        { ruleId: 'MESH-NET-S3-BLOCK-PUBLIC', reason: 'public website bucket, approved', expires: '2026-03-01' },
        { ruleId: 'MESH-DR-CRITICAL-REPLICATION', reason: 'not used by any finding', expires: '2099-01-01' },
      ],
    };
    const template = { Resources: { A: bucket({}, meta) } };
    const [during] = evaluateTemplates([{ template, stackName: 'S' }], { now: new Date('2026-03-01T23:00:00Z') });
    const bpa = during!.findings.find((f) => f.ruleId === 'MESH-NET-S3-BLOCK-PUBLIC');
    assert.equal(bpa?.suppressed?.expires, '2026-03-01');
    assert.deepEqual(
      during!.suppressions.map((s) => [s.ruleId, s.expired, s.matched]),
      [
        ['MESH-NET-S3-BLOCK-PUBLIC', false, 1],
        ['MESH-DR-CRITICAL-REPLICATION', false, 0],
      ],
    );
    const [after] = evaluateTemplates([{ template, stackName: 'S' }], { now: new Date('2026-03-02T00:00:00Z') });
    assert.equal(after!.findings.find((f) => f.ruleId === 'MESH-NET-S3-BLOCK-PUBLIC')?.suppressed, undefined);
    assert.ok(
      after!.findings.some(
        (f) =>
          f.ruleId === 'MESH-SUPPRESSION-EXPIRED' && f.level === 'error' && /expired on 2026-03-01/.test(f.message),
      ),
    );
    assert.equal(expiryInstant('2026-02-29'), undefined);
    assert.equal(expiryInstant('2026-03-01T10:00:00+02:00'), Date.parse('2026-03-01T08:00:00Z'));
  });
});

describe('reference helpers', () => {
  it('refersTo: Ref and GetAtt (both forms)', () => {
    assert.ok(refersTo({ Ref: 'B' }, 'B'));
    assert.ok(refersTo({ 'Fn::GetAtt': ['B', 'Arn'] }, 'B'));
    assert.ok(refersTo({ 'Fn::GetAtt': 'B.Arn' }, 'B'));
    assert.ok(!refersTo({ Ref: 'BB' }, 'B'));
    assert.ok(!refersTo('B', 'B'));
  });
  it('mentions: inside Fn::Join and Fn::Sub', () => {
    assert.ok(mentions({ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['B', 'Arn'] }, '/*']] }, 'B'));
    assert.ok(mentions({ 'Fn::Sub': '${B.Arn}/*' }, 'B'));
    assert.ok(mentions({ 'Fn::Sub': ['arn:${B}', {}] }, 'B'));
    assert.ok(!mentions({ 'Fn::Sub': '${BX.Arn}' }, 'B'));
  });
});

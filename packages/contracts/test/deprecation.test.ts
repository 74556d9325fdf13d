import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deprecationOf } from '../src/index.js';

const contract = (status: string, eos?: string, eol?: string) => ({
  status,
  customProperties: [
    ...(eos ? [{ property: 'meshkit.endOfSupport', value: eos }] : []),
    ...(eol ? [{ property: 'meshkit.endOfLife', value: eol }] : []),
  ],
});
const at = (d: string) => new Date(`${d}T12:00:00Z`);

test('an active contract without dates is active', () => {
  assert.deepEqual(deprecationOf(contract('active'), at('2026-01-01')), { status: 'active', phase: 'active' });
});

test('a deprecated contract walks deprecated → unsupported → end-of-life; the dates are inclusive', () => {
  const c = contract('deprecated', '2026-06-30', '2026-12-31');
  assert.equal(deprecationOf(c, at('2026-06-30')).phase, 'deprecated');
  assert.equal(deprecationOf(c, at('2026-07-01')).phase, 'unsupported');
  assert.equal(deprecationOf(c, at('2026-12-31')).phase, 'unsupported');
  assert.equal(deprecationOf(c, at('2027-01-01')).phase, 'end-of-life');
  assert.deepEqual(deprecationOf(c, at('2026-01-01')), {
    status: 'deprecated',
    endOfSupport: '2026-06-30',
    endOfLife: '2026-12-31',
    phase: 'deprecated',
  });
});

test('YAML dates parsed as Date objects are read as days; retired wins', () => {
  const c = {
    status: 'deprecated',
    customProperties: [{ property: 'meshkit.endOfLife', value: new Date('2026-03-01T00:00:00Z') as unknown as string }],
  };
  assert.equal(deprecationOf(c, at('2026-03-02')).phase, 'end-of-life');
  assert.equal(deprecationOf(contract('retired', undefined, '2030-01-01'), at('2026-01-01')).phase, 'retired');
});

/**
 * Deterministic generator of realistic ODCS contracts for the benchmark: ~30 properties and
 * ~10 quality rules each, plus a modified version with a mix of compatible and breaking changes.
 */
const TYPES = [
  { logicalType: 'string', physicalType: 'varchar(64)' },
  { logicalType: 'integer', physicalType: 'int' },
  { logicalType: 'number', physicalType: 'decimal(12,2)' },
  { logicalType: 'date', physicalType: 'date' },
  { logicalType: 'timestamp', physicalType: 'timestamp' },
  { logicalType: 'boolean', physicalType: 'boolean' },
] as const;

/** Small seeded PRNG (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Prop {
  name: string;
  type: (typeof TYPES)[number];
  required: boolean;
  pii: boolean;
  min?: number;
  max?: number;
  maxLength?: number;
  values?: string[];
}

function props(r: () => number, n: number): Prop[] {
  return Array.from({ length: n }, (_, i) => {
    const type = i === 0 ? TYPES[0] : TYPES[Math.floor(r() * TYPES.length)]!;
    const p: Prop = { name: i === 0 ? 'id' : `field_${i}`, type, required: i === 0 || r() < 0.4, pii: r() < 0.1 };
    if (type.logicalType === 'integer' || type.logicalType === 'number') {
      p.min = 0;
      p.max = 1000 + Math.floor(r() * 1000);
    }
    if (type.logicalType === 'string' && i > 0) {
      p.maxLength = 64;
      if (r() < 0.2) p.values = ['A', 'B', 'C'];
    }
    return p;
  });
}

function render(idx: number, version: string, list: Prop[], quality: string[][]): string {
  const lines = [
    'apiVersion: v3.1.0',
    'kind: DataContract',
    `id: bench-contract-${idx}`,
    `name: Bench ${idx}`,
    `version: ${version}`,
    'status: active',
    'domain: bench',
    `dataProduct: product-${idx}`,
    'description:',
    `  purpose: Generated contract number ${idx} for the benchmark.`,
    'team:',
    '  name: team-bench',
    '  members:',
    '    - username: owner@example.com',
    '      role: owner',
    'schema:',
    `  - id: obj_${idx}`,
    `    name: table_${idx}`,
    '    physicalType: table',
    `    description: Table ${idx}.`,
    '    quality:',
    ...quality.flat(),
    '    properties:',
  ];
  for (const p of list) {
    lines.push(
      `      - id: ${p.name}_prop`,
      `        name: ${p.name}`,
      `        logicalType: ${p.type.logicalType}`,
      `        physicalType: ${p.type.physicalType}`,
      `        description: The ${p.name.replace('_', ' ')} of the record.`,
      `        classification: ${p.pii ? 'restricted' : 'internal'}`,
      `        required: ${p.required}`,
    );
    if (p.name === 'id')
      lines.push('        primaryKey: true', '        primaryKeyPosition: 1', '        unique: true');
    if (p.pii) lines.push('        tags: [pii]');
    const opts: string[] = [];
    if (p.min !== undefined) opts.push(`          minimum: ${p.min}`);
    if (p.max !== undefined) opts.push(`          maximum: ${p.max}`);
    if (p.maxLength !== undefined) opts.push(`          maxLength: ${p.maxLength}`);
    if (opts.length) lines.push('        logicalTypeOptions:', ...opts);
    if (p.values)
      lines.push(
        '        quality:',
        `          - id: ${p.name}_values`,
        '            metric: invalidValues',
        '            arguments:',
        `              validValues: [${p.values.join(', ')}]`,
        '            mustBe: 0',
      );
  }
  lines.push(
    'slaProperties:',
    '  - property: latency',
    '    value: 4',
    '    unit: h',
    '  - property: retention',
    '    value: 3',
    '    unit: y',
  );
  return lines.join('\n') + '\n';
}

/** Object-level quality rules, each as its lines. */
function qualityRules(r: () => number, list: Prop[], n: number): string[][] {
  const out = [['      - id: rows', '        metric: rowCount', '        mustBeGreaterThan: 0']];
  for (let i = 1; i < n; i++) {
    const p = list[1 + Math.floor(r() * (list.length - 1))]!;
    out.push([
      `      - id: q_${i}_${p.name}`,
      '        metric: nullValues',
      '        arguments:',
      `          property: ${p.name}`,
      `        mustBeLessThan: ${1 + Math.floor(r() * 5)}`,
      '        unit: percent',
    ]);
  }
  return out;
}

/** One benchmark pair: an old contract and a modified new version. */
export interface ContractPair {
  old: string;
  next: string;
}

/** `n` contract pairs, deterministic for a given seed. */
export function generatePairs(n = 200, seed = 42): ContractPair[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, idx) => {
    const list = props(r, 30);
    const quality = qualityRules(r, list, 10);
    const old = render(idx, '1.0.0', list, quality);
    const changed = list.map((p) => ({ ...p }));
    // A mix of changes: widen, tighten, add, remove, relax, describe.
    const pick = () => changed[1 + Math.floor(r() * (changed.length - 1))]!;
    const a = pick();
    if (a.max !== undefined) a.max += 10;
    const b = pick();
    b.required = !b.required;
    if (idx % 3 === 0) changed.splice(changed.indexOf(pick()), 1);
    changed.push({ name: `added_${idx}`, type: TYPES[0], required: false, pii: false });
    const c = changed.find((p) => p.values);
    if (c?.values) c.values = [...c.values, 'D'];
    const next = render(idx, idx % 3 === 0 ? '2.0.0' : '1.1.0', changed, [
      ...quality.slice(0, -2),
      [...quality.at(-1)!.slice(0, 4), '        mustBeLessThan: 10', '        unit: percent'],
    ]);
    return { old, next };
  });
}

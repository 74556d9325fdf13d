import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import type { CatalogBackend, CatalogProduct, CatalogRecord } from '../src/index.js';
import { publishedExample } from './web-helpers.js';

/** An in-memory backend over given records (no validation); counts its `get` calls. */
export class CountingMemoryCatalog implements CatalogBackend {
  readonly kind = 'memory';
  readonly location = 'memory:';
  gets = 0;
  constructor(readonly records: CatalogRecord[]) {}
  async list(): Promise<CatalogProduct[]> {
    const byRef = new Map<string, string[]>();
    for (const r of this.records)
      byRef.set(`${r.domain}/${r.product}`, [...(byRef.get(`${r.domain}/${r.product}`) ?? []), r.version]);
    return [...byRef]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([ref, vs]) => {
        const [domain = '', product = ''] = ref.split('/');
        const versions = vs.sort(semver.compare);
        const majors = [...new Set(versions.map((v) => semver.major(v)))].map((major) => ({
          major,
          versions: versions.filter((v) => semver.major(v) === major),
        }));
        return { domain, product, versions, majors };
      });
  }
  async versions(domain: string, product: string) {
    return (await this.list()).find((p) => p.domain === domain && p.product === product)?.versions ?? [];
  }
  async get(domain: string, product: string, version: string) {
    this.gets++;
    return this.records.find((r) => r.domain === domain && r.product === product && r.version === version);
  }
  async has(domain: string, product: string, version: string) {
    return (await this.get(domain, product, version)) !== undefined;
  }
  async publish(record: CatalogRecord): Promise<'published'> {
    this.records.push(record);
    return 'published';
  }
}

let template: CatalogRecord | undefined;

/** The example's sales/orders record (published once per process), to copy. */
export async function orderRecord(): Promise<CatalogRecord> {
  if (!template) {
    const { catalog } = await publishedExample();
    template = (await catalog.get('sales', 'orders', '1.0.0'))!;
  }
  return template;
}

/**
 * `count` products `d<NN>/p<N>` (4 per domain), copies of sales/orders; product i > 0 consumes
 * product ⌊(i-1)/2⌋ (a binary tree of lineage: every product has one producer, most have two consumers).
 */
export async function generatedRecords(count: number): Promise<CatalogRecord[]> {
  const base = await orderRecord();
  const ref = (i: number) => `d${String(Math.floor(i / 4)).padStart(2, '0')}/p${i % 4}`;
  return Array.from({ length: count }, (_, i) => {
    const [domain = '', product = ''] = ref(i).split('/');
    const r = structuredClone(base);
    return {
      ...r,
      domain,
      product,
      consumes: i > 0 ? [{ product: ref(Math.floor((i - 1) / 2)), version: '^1.0.0', columns: ['record_id'] }] : [],
    };
  });
}

/** A lint-clean contract of a generated product (bench/publish's). */
export function generatedContract(name: string, version: string): string {
  return `apiVersion: v3.1.0
kind: DataContract
id: bench-${name}
name: ${name}
version: ${version}
status: active
description:
  purpose: Generated product ${name}.
customProperties:
  - property: meshkit.compatibility
    value: BACKWARD
schema:
  - name: ${name.replace(/-/g, '_')}
    physicalType: table
    description: Rows of ${name}.
    quality:
      - { id: not_empty, metric: rowCount, mustBeGreaterThan: 0 }
    properties:
      - { name: id, logicalType: string, required: true, unique: true, description: Identifier. }
      - { name: amount, logicalType: number, logicalTypeOptions: { minimum: 0 }, description: Amount. }
      - { name: day, logicalType: date, required: true, partitioned: true, partitionKeyPosition: 1 }
`;
}

/** Writes a repository of `count` generated products `bench/p<NNN>` under `root`; returns their refs. */
export function writeGeneratedRepo(root: string, count: number): string[] {
  writeFileSync(join(root, 'mesh.config.yaml'), 'organisation: Bench Corp\nnpmScope: "@bench"\n');
  mkdirSync(join(root, 'domains/bench'), { recursive: true });
  writeFileSync(join(root, 'domains/bench/domain.yaml'), 'name: bench\nowner: team-bench\ncostCenter: cc-1\n');
  return Array.from({ length: count }, (_, i) => {
    const name = `p${String(i).padStart(3, '0')}`;
    const dir = join(root, 'domains/bench/products', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'product.yaml'),
      `domain: bench\nname: ${name}\nowner: team-bench\ningestion:\n  mode: batch\n`,
    );
    writeFileSync(join(dir, 'contract.odcs.yaml'), generatedContract(name, '1.0.0'));
    return `bench/${name}`;
  });
}

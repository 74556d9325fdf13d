// A throw-away Meshkit repository with one product, for runtime tests.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

export interface ProductFiles {
  contract: string;
  transform: string;
  /** fixtures/<name> → content */
  fixtures?: Record<string, string>;
  productYaml?: string;
}

/** A repository with `domains/shop/products/items` built from `files`; returns root and product dir. */
export function tempProduct(files: ProductFiles): { root: string; productDir: string } {
  const root = mkdtempSync(join(tmpdir(), 'meshkit-run-'));
  writeFileSync(join(root, 'mesh.config.yaml'), 'organisation: Test\nnpmScope: "@test"\n');
  mkdirSync(join(root, 'domains/shop/products/items/fixtures'), { recursive: true });
  writeFileSync(join(root, 'domains/shop/domain.yaml'), 'name: shop\nowner: team-shop\ncostCenter: cc-1\n');
  const productDir = join(root, 'domains/shop/products/items');
  writeFileSync(
    join(productDir, 'product.yaml'),
    files.productYaml ?? 'domain: shop\nname: items\nowner: team-shop\ningestion:\n  mode: batch\n',
  );
  writeFileSync(join(productDir, 'contract.odcs.yaml'), files.contract);
  writeFileSync(join(productDir, 'transform.sql'), files.transform);
  for (const [name, text] of Object.entries(files.fixtures ?? {}))
    writeFileSync(join(productDir, 'fixtures', name), text);
  return { root, productDir };
}

/** Rows of a Parquet file or glob, as JSON-friendly objects. */
export async function readParquet(pathOrGlob: string, order = ''): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const r = await conn.runAndReadAll(
      `SELECT * FROM read_parquet('${pathOrGlob}', hive_partitioning = true) ${order}`,
    );
    return r.getRowObjectsJson();
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** A contract with one object `items` and the given properties/quality YAML (indented under the object). */
export function contract(body: string, extra = ''): string {
  return `apiVersion: v3.1.0
kind: DataContract
id: shop-items
name: Items
version: 1.0.0
status: active
${extra}schema:
  - name: items
    physicalType: table
${body}`;
}

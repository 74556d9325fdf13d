/** One benchmark process: build and synthesize the generated mesh, print timings as JSON. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProductManifest } from '@meshkit/contracts';

const t0 = process.hrtime.bigint();
const { CfnResource } = await import('aws-cdk-lib');
const { loadContract, loadMeshConfig } = await import('@meshkit/contracts');
const { buildMeshApp } = await import('@meshkit/core');
type MeshModel = import('@meshkit/core').MeshModel;

const demo = fileURLToPath(new URL('../../packages/cli/demo/mesh/', import.meta.url));
const contracts = {
  batch: loadContract(join(demo, 'domains/sales/products/orders/contract.odcs.yaml')).contract!,
  stream: loadContract(join(demo, 'domains/sales/products/clickstream/contract.odcs.yaml')).contract!,
};

/** 50 domains × 4 products: 2 batch (one restricted), 2 stream. */
export function generatedMesh(domains: number): MeshModel {
  const config = loadMeshConfig(join(demo, 'mesh.config.yaml')).value;
  return {
    root: demo,
    config,
    domains: Array.from({ length: domains }, (_, d) => {
      const domain = `domain-${d}`;
      const products = (['batch', 'batch', 'stream', 'stream'] as const).map((mode, p) => {
        const name = `product-${p}`;
        const manifest: ProductManifest = {
          domain, name, owner: `team-${d}`, contract: 'contract.odcs.yaml', consumes: [], environments: [],
          ingestion: { mode, ...(mode === 'batch' ? { schedule: 'cron(0 2 * * ? *)' } : { shards: 1 }) },
          classification: p === 0 ? 'restricted' : 'internal', retentionDays: 365, criticality: 'medium',
        };
        return { domain, name, dir: join(demo, 'domains/sales/products/orders'), manifest, contract: contracts[mode], contractFile: 'contract.odcs.yaml' };
      });
      return { name: domain, dir: demo, manifest: { name: domain, owner: `team-${d}`, costCenter: `cc-${d}`, environments: [], athenaBytesScannedCutoff: 100 * 1024 ** 3 }, products };
    }),
  };
}

export async function runChild(variant: 'meshkit' | 'meshkit-pack', domains: number) {
  const outdir = mkdtempSync(join(tmpdir(), 'mesh-synth-bench-'));
  const { app } = buildMeshApp({ mesh: generatedMesh(domains), outdir, policies: variant === 'meshkit-pack' ? 'enforce' : 'off' });
  const t1 = process.hrtime.bigint();
  let err = '';
  try { app.synth(); } catch (e) { err = String((e as Error).message).split('\n')[0]!.slice(0, 120); }
  const t2 = process.hrtime.bigint();
  const resources = app.node.findAll().filter((c) => CfnResource.isCfnResource(c)).length;
  rmSync(outdir, { recursive: true, force: true });
  const constructMs = Number(t1 - t0) / 1e6;
  const synthMs = Number(t2 - t1) / 1e6;
  return { variant, domains, resources, constructMs, synthMs, msPerResource: (constructMs + synthMs) / resources, err };
}

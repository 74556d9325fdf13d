/** One benchmark process: build and synthesize the generated mesh, print timings as JSON. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const t0 = process.hrtime.bigint();
const { CfnResource } = await import('aws-cdk-lib');
const { buildMeshApp } = await import('@meshkit/core');
/** 50 domains × 4 products: 2 batch (one restricted), 2 stream (bench/mesh/generate.ts). */
const { generatedMesh } = await import('../mesh/generate.js');

export async function runChild(variant: 'meshkit' | 'meshkit-pack', domains: number) {
  const outdir = mkdtempSync(join(tmpdir(), 'mesh-synth-bench-'));
  const { app } = buildMeshApp({
    mesh: generatedMesh(domains),
    outdir,
    policies: variant === 'meshkit-pack' ? 'enforce' : 'off',
  });
  const t1 = process.hrtime.bigint();
  let err = '';
  try {
    app.synth();
  } catch (e) {
    err = String((e as Error).message)
      .split('\n')[0]!
      .slice(0, 120);
  }
  const t2 = process.hrtime.bigint();
  const resources = app.node.findAll().filter((c) => CfnResource.isCfnResource(c)).length;
  rmSync(outdir, { recursive: true, force: true });
  const constructMs = Number(t1 - t0) / 1e6;
  const synthMs = Number(t2 - t1) / 1e6;
  return { variant, domains, resources, constructMs, synthMs, msPerResource: (constructMs + synthMs) / resources, err };
}

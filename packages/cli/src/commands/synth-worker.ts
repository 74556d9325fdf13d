// A worker process of `mesh synth` on a large mesh (synth-parallel.ts): receives one WorkerJob
// over IPC, synthesizes each unit (the platform stacks, or one domain) into its cache folder and
// reports each one; on a failure it reports the error and exits 1.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMeshError } from '@meshkit/contracts';
import { buildMeshApp, loadMesh } from '@meshkit/core';
import { loadCustomizations } from './synth.js';
import type { WorkerJob, WorkerMessage } from './synth-parallel.js';

const send = (m: WorkerMessage) => new Promise<void>((resolve) => process.send!(m, () => resolve()));

process.once('message', (job: WorkerJob) => {
  void (async () => {
    try {
      const mesh = loadMesh(job.root);
      const environment = job.environmentName === undefined ? undefined : mesh.config.environments[job.environmentName];
      const names = new Set(job.units.map((u) => u.name));
      const customize = await loadCustomizations({ ...mesh, domains: mesh.domains.filter((d) => names.has(d.name)) });
      for (const unit of job.units) {
        rmSync(unit.dir, { recursive: true, force: true });
        mkdirSync(unit.dir, { recursive: true });
        const platform = unit.name === 'platform';
        const { app, stacks } = buildMeshApp({
          mesh, outdir: join(unit.dir, 'out'), policies: 'report', platform, domains: platform ? [] : [unit.name],
          ...(customize ? { customize } : {}), ...(environment ? { environment } : {}), ...(job.environmentName ? { environmentName: job.environmentName } : {}),
        });
        app.synth();
        writeFileSync(join(unit.dir, 'stacks.json'), JSON.stringify(stacks));
        writeFileSync(join(unit.dir, 'key'), unit.key); // last: a unit without its key is synthesized again
        await send({ unit: unit.name, stacks });
      }
      process.disconnect();
    } catch (e) {
      const err = e as Error;
      await send({
        error: isMeshError(e)
          ? { code: e.code, message: e.message, ...(e.file ? { file: e.file } : {}), ...(e.line ? { line: e.line } : {}), ...(e.column ? { column: e.column } : {}), exitCode: e.exitCode }
          : { message: err?.message ?? String(e), ...(err?.stack ? { stack: err.stack } : {}) },
      });
      process.exitCode = 1;
      process.disconnect();
    }
  })();
});

// A worker process of `mesh synth` on a large mesh (synth-parallel.ts): receives one WorkerJob
// over IPC, synthesizes each task (the platform stacks, or a domain's foundation and products) into
// its units' cache folders and reports each unit; on a failure it reports the error and exits 1.
import { isMeshError } from '@meshkit/contracts';
import { loadMesh } from '@meshkit/core';
import { synthTasks, type WorkerJob, type WorkerMessage } from './synth-tasks.js';

const send = (m: WorkerMessage) => new Promise<void>((resolve) => process.send!(m, () => resolve()));

process.once('message', (job: WorkerJob) => {
  void (async () => {
    try {
      await synthTasks(job, loadMesh(job.root, {}, job.now ? { now: new Date(job.now) } : {}), (unit, stacks) =>
        send({ unit, stacks }),
      );
      process.disconnect();
    } catch (e) {
      const err = e as Error;
      await send({
        error: isMeshError(e)
          ? {
              code: e.code,
              message: e.message,
              ...(e.file ? { file: e.file } : {}),
              ...(e.line ? { line: e.line } : {}),
              ...(e.column ? { column: e.column } : {}),
              exitCode: e.exitCode,
            }
          : { message: err?.message ?? String(e), ...(err?.stack ? { stack: err.stack } : {}) },
      });
      process.exitCode = 1;
      process.disconnect();
    }
  })();
});

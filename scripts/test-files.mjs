#!/usr/bin/env node
// A package's `npm test`: runs its test files in a few node processes (TEST_CONCURRENCY of them,
// default 2), each importing its share of the files one after the other, instead of one process
// per file as `node --test` does. Most of a small test file's CPU was the process itself (node,
// tsx, the package and aws-cdk-lib loaded again: ~1.2 s for @meshkit/core), so the suite spent
// more CPU starting processes than testing (@meshkit/core: 57 s of CPU in 27 processes, 16 s in
// one). node:test runs the tests of every file imported into one process, with the same hooks,
// reporters and results.
//
//   node ../../scripts/test-files.mjs [--alone <file>]… <file>…
//
// --alone <file>: the file gets a process of its own (a long one, e.g. the Spark parity suite, so
// the other files run meanwhile), at normal priority; the processes of shared files run at nice 10.
// The other files are dealt to the remaining processes, biggest first, by size. Each process's
// output is printed whole (the first process's as it comes), then ONE closing summary in node's
// spec format (`ℹ tests N`, `ℹ pass N`…), summed over the processes, which scripts/test.mjs reads.
// A file that fails to load is reported as a failing test of its own; a process that dies counts
// as a failure. Exit code 1 when anything failed.
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SUMMARY = /^ℹ (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) ([\d.]+)$/;

if (process.argv[2] === '--child') {
  // One process: import every file; node:test runs what they register.
  const { test } = await import('node:test');
  for (const file of process.argv.slice(3)) {
    try {
      await import(pathToFileURL(resolve(file)).href);
    } catch (error) {
      test(`${file} (could not be loaded)`, () => {
        throw error;
      });
    }
  }
} else {
  const args = process.argv.slice(2);
  const alone = [];
  const files = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--alone') alone.push(args[++i]);
    else files.push(args[i]);
  }
  const rest = files.filter((f) => !alone.includes(f));
  const processes = Math.max(1, Number(process.env.TEST_CONCURRENCY ?? 2) || 2);
  const shares = [
    ...alone.map((f) => ({ files: [f], alone: true })),
    ...deal(rest, Math.max(1, processes - alone.length)).map((files) => ({ files, alone: false })),
  ];
  process.exit(await runShares(shares));
}

/** `files` dealt to `n` shares of about equal size (biggest first, each to the smallest share). */
function deal(files, n) {
  const shares = Array.from({ length: Math.min(n, files.length) }, () => ({ bytes: 0, files: [] }));
  const sized = files.map((f) => ({ f, bytes: statSync(f).size })).sort((a, b) => b.bytes - a.bytes);
  for (const { f, bytes } of sized) {
    const share = shares.reduce((min, s) => (s.bytes < min.bytes ? s : min));
    share.bytes += bytes;
    share.files.push(f);
  }
  return shares.map((s) => s.files.sort());
}

/** Runs each share in a child process; prints their output and one summed summary. @returns the exit code */
async function runShares(shares) {
  const started = performance.now();
  const totals = {};
  const results = shares.map((share, i) => runChild(share.files, i === 0, share.alone));
  let failed = false;
  for (const result of results) {
    const { code, lines, summary, files } = await result;
    for (const line of lines) console.log(line);
    if (!summary.tests && code !== 0) {
      console.log(`✖ a test process exited with code ${code} before its summary (files: ${files.join(' ')})`);
      summary.fail = (summary.fail ?? 0) + 1;
    }
    for (const [k, v] of Object.entries(summary)) totals[k] = (totals[k] ?? 0) + v;
    failed ||= code !== 0;
  }
  for (const k of ['tests', 'suites', 'pass', 'fail', 'cancelled', 'skipped', 'todo'])
    console.log(`ℹ ${k} ${totals[k] ?? 0}`);
  console.log(`ℹ duration_ms ${(performance.now() - started).toFixed(0)}`);
  return failed || totals.fail || totals.cancelled ? 1 : 0;
}

/**
 * One child process over `files`: its exit code, its output lines but the summary, the summary and `files`.
 * A process of shared files runs at a lower priority (nice 10) than an `--alone` one: the long
 * files are the suite's critical path (a JVM starved of CPU by short tests in parallel made the
 * Spark parity files take 2.5× as long), the short ones fill the CPU it leaves.
 */
function runChild(files, live, alone) {
  const child = spawn(
    process.execPath,
    [
      '--conditions=development',
      '--import',
      'tsx',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      fileURLToPath(import.meta.url),
      '--child',
      ...files,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (!alone && child.pid !== undefined) setPriority(child.pid, Math.min(19, getPriority(child.pid) + 10));
  const lines = [];
  const summary = {};
  createInterface({ input: child.stdout }).on('line', (line) => {
    const m = SUMMARY.exec(line);
    if (m) summary[m[1]] = Number(m[2]);
    else if (live) console.log(line);
    else lines.push(line);
  });
  return new Promise((res) => child.on('close', (code) => res({ code: code ?? 1, lines, summary, files })));
}

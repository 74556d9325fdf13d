// AWS's own validators over every template Meshkit synthesizes: cfn-lint (no error) and checkov
// (every failed check accepted, with its reason, in docs/checkov.md, and every accepted check
// still failing somewhere). Both meshes are synthesized as `mesh synth` does: the example mesh of
// the repository and the demo mesh (packages/cli/demo/mesh, in a temp copy). Each tool runs once
// over all templates. The tools live in the project's .venv (bash scripts/setup-python.sh): without
// it the test is skipped, except in CI (CI=true), where it fails.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  accessSync,
  constants,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_MESH, REPO_ROOT } from './demo-mesh.js';

const ROOT = REPO_ROOT;
const DOC = fileURLToPath(new URL('../docs/checkov.md', import.meta.url));
const REQUIREMENTS = join(ROOT, 'requirements.txt');
const VENV = join(ROOT, '.venv');
const CFN_LINT = join(VENV, 'bin', 'cfn-lint');
const CHECKOV = join(VENV, 'bin', 'checkov');
const SETUP = 'bash scripts/setup-python.sh';
const IN_CI = !!process.env.CI && !['false', '0'].includes(process.env.CI.toLowerCase());

// --- the tools ----------------------------------------------------------------------------------

/** Why the validators cannot run (no venv, a missing tool, a venv older than the requirements), or undefined. */
function unavailable(): string | undefined {
  for (const tool of [CFN_LINT, CHECKOV]) {
    try {
      accessSync(tool, constants.X_OK);
    } catch {
      return `${relative(ROOT, tool)} is missing: install the pinned validators with \`${SETUP}\``;
    }
  }
  // scripts/setup-python.sh stamps the venv with the hash of the requirements file it installed.
  const stamp = join(VENV, '.requirements.sha256');
  const installed = existsSync(stamp) ? readFileSync(stamp, 'utf8').split(' ')[0] : '';
  const wanted = createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex');
  if (installed !== wanted) return `.venv is out of date with requirements.txt: run \`${SETUP}\``;
  return undefined;
}

/** The version requirements.txt pins for a package. */
function pinned(pkg: string): string {
  const m = new RegExp(`^${pkg}==(\\S+)`, 'm').exec(readFileSync(REQUIREMENTS, 'utf8'));
  assert.ok(m, `requirements.txt pins no version of ${pkg}`);
  return m[1]!;
}

/** Runs a tool; resolves with its stdout, rejects (with stderr) when it exits non-zero. */
function run(file: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { ...options, maxBuffer: 512 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error)
        reject(
          new Error(
            `${relative(ROOT, file)} ${args.slice(0, 6).join(' ')} … failed (${error.code ?? error.signal}):\n${stderr.slice(-4000)}`,
          ),
        );
      else resolve(stdout);
    });
  });
}

// --- docs/checkov.md ----------------------------------------------------------------------------

interface Row {
  cells: string[];
  codes: string[][];
  line: number;
}

/** The rows of the first table after `## <heading>` (header and separator left out). */
function tableAfter(markdown: string, heading: string): Row[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.trim() === `## ${heading}`);
  assert.ok(start >= 0, `docs/checkov.md has no section '## ${heading}'`);
  const rows: Row[] = [];
  let seen = 0;
  for (let i = start + 1; i < lines.length && !lines[i]!.startsWith('## '); i++) {
    const l = lines[i]!.trim();
    if (!l.startsWith('|')) {
      if (seen) break;
      continue;
    }
    if (seen++ < 2) continue; // header, separator
    const cells = l
      .slice(1, l.endsWith('|') ? -1 : undefined)
      .split('|')
      .map((c) => c.trim());
    rows.push({ cells, codes: cells.map((c) => [...c.matchAll(/`([^`]+)`/g)].map((m) => m[1]!)), line: i + 1 });
  }
  return rows;
}

interface Accepted {
  check: string;
  types: string[];
  ids: string[];
  reason: string;
  line: number;
}

function acceptedChecks(markdown: string): Accepted[] {
  return tableAfter(markdown, 'checkov: accepted failed checks').map((r) => {
    assert.equal(
      r.cells.length,
      4,
      `docs/checkov.md:${r.line}: a row has 4 cells (check, resource types, logical ids, reason)`,
    );
    const [check, types, ids] = [r.codes[0]!, r.codes[1]!, r.codes[2]!];
    assert.ok(
      check.length === 1 && /^CKV2?_[A-Z0-9]+_\d+$/.test(check[0]!),
      `docs/checkov.md:${r.line}: the first cell is one check id in backticks`,
    );
    assert.ok(
      types.length && types.every((t) => /^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+$/.test(t)),
      `docs/checkov.md:${r.line}: resource types in backticks`,
    );
    assert.ok(ids.length, `docs/checkov.md:${r.line}: logical id globs in backticks`);
    assert.ok(
      r.cells[3]!.length >= 40,
      `docs/checkov.md:${r.line}: say why ${check[0]} does not apply or how it is accepted`,
    );
    return { check: check[0]!, types, ids, reason: r.cells[3]!, line: r.line };
  });
}

function ignoredCfnLintRules(markdown: string): string[] {
  return tableAfter(markdown, 'cfn-lint: ignored rules').map((r) => {
    const rule = r.codes[0]?.[0];
    assert.ok(
      rule && /^[EWI]\d{4}$/.test(rule),
      `docs/checkov.md:${r.line}: the first cell is one cfn-lint rule id in backticks`,
    );
    assert.ok((r.cells[1] ?? '').length >= 40, `docs/checkov.md:${r.line}: say why ${rule} is ignored`);
    return rule;
  });
}

const glob = (pattern: string): RegExp =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );

// --- the tool outputs ---------------------------------------------------------------------------

interface CfnLintMatch {
  Filename: string;
  Level: 'Error' | 'Warning' | 'Informational';
  Message: string;
  Rule: { Id: string };
  Location: { Path?: Array<string | number>; Start: { LineNumber: number } };
}
interface CheckovCheck {
  check_id: string;
  check_name: string;
  resource: string;
  file_path: string;
}
interface CheckovReport {
  check_type: string;
  results: {
    failed_checks: CheckovCheck[];
    passed_checks: CheckovCheck[];
    skipped_checks?: CheckovCheck[];
    parsing_errors?: string[];
  };
  summary: {
    passed: number;
    failed: number;
    skipped: number;
    parsing_errors: number;
    resource_count: number;
    checkov_version: string;
  };
}

/** Synthesizes a mesh as `mesh synth` does (the CLI's synthMesh: with each product's infra/stack.ts). */
type SynthMesh = (
  root: string,
  target: undefined,
  outdir: string,
) => Promise<{
  stacks: Array<{ stackName: string }>;
  mesh: { config: { environments: Record<string, { region: string }>; defaults: { region?: string } } };
}>;

// --- the test -----------------------------------------------------------------------------------

const missing = unavailable();

if (missing) {
  // Outside CI a developer without the venv still gets a green run, told why and how to install.
  test(
    'cfn-lint and checkov over the synthesized templates',
    { skip: IN_CI ? false : `${missing} (skipped outside CI; fails with CI=true)` },
    () => {
      assert.fail(`${missing} (.ci/run runs it before npm test)`);
    },
  );
} else {
  describe('AWS validators over the synthesized templates', () => {
    const doc = readFileSync(DOC, 'utf8');
    let work = '';
    const templates: string[] = []; // relative to `work`
    let regions: string[] = [];
    let lint: CfnLintMatch[] = [];
    let checkov: CheckovReport;

    before(
      async () => {
        const started = Date.now();
        work = mkdtempSync(join(tmpdir(), 'mesh-validators-'));
        // Imported by path, at run time: the CLI sits above @meshkit/core (a test-only use, kept out of
        // this package's typecheck).
        const synthPath = new URL('../../cli/src/commands/synth.js', import.meta.url).href;
        const { synthMesh } = (await import(synthPath)) as { synthMesh: SynthMesh };
        const demoCopy = join(work, 'demo-mesh');
        cpSync(DEMO_MESH, demoCopy, {
          recursive: true,
          filter: (s) => !/[\\/](\.mesh|cdk\.out|node_modules)([\\/]|$)/.test(s.slice(DEMO_MESH.length - 1)),
        });
        const meshes = [
          { name: 'example', root: ROOT },
          { name: 'demo', root: demoCopy },
        ];
        const regionSet = new Set<string>();
        for (const m of meshes) {
          const outdir = join(work, m.name);
          mkdirSync(outdir);
          const { stacks, mesh } = await synthMesh(m.root, undefined, outdir);
          assert.ok(stacks.length > 0, `${m.name} mesh: no stack`);
          const files = readdirSync(outdir)
            .filter((f) => f.endsWith('.template.json'))
            .sort();
          assert.equal(files.length, stacks.length, `${m.name} mesh: one template per stack`);
          templates.push(...files.map((f) => `${m.name}/${f}`));
          if (mesh.config.defaults.region) regionSet.add(mesh.config.defaults.region);
          for (const env of Object.values(mesh.config.environments)) regionSet.add(env.region);
        }
        regions = [...regionSet].sort();
        if (!regions.length) regions = ['us-east-1'];
        const synthesized = Date.now();

        const ignore = ignoredCfnLintRules(doc);
        const [lintOut, checkovOut] = await Promise.all([
          run(
            CFN_LINT,
            [
              '--format',
              'json',
              '--non-zero-exit-code',
              'none',
              '--regions',
              ...regions,
              ...(ignore.length ? ['--ignore-checks', ...ignore] : []),
              '--',
              ...templates,
            ],
            { cwd: work },
          ),
          run(
            CHECKOV,
            [
              '--framework',
              'cloudformation',
              '--output',
              'json',
              '--soft-fail',
              '--skip-download',
              ...templates.flatMap((t) => ['--file', t]),
            ],
            { cwd: work, env: { ...process.env, BC_SKIP_MAPPING: 'TRUE', CKV_SKIP_PACKAGE_UPDATE_CHECK: 'true' } },
          ),
        ]);
        lint = JSON.parse(lintOut) as CfnLintMatch[];
        const parsed = JSON.parse(checkovOut) as CheckovReport | CheckovReport[];
        const reports = (Array.isArray(parsed) ? parsed : [parsed]).filter((r) => r.check_type === 'cloudformation');
        assert.equal(reports.length, 1, `checkov printed no cloudformation report: ${checkovOut.slice(0, 500)}`);
        checkov = reports[0]!;
        console.log(
          `validators: ${templates.length} templates (regions ${regions.join(', ')}); synth ${synthesized - started} ms, cfn-lint + checkov ${Date.now() - synthesized} ms`,
        );
      },
      { timeout: 10 * 60_000 },
    );

    after(() => {
      if (work) rmSync(work, { recursive: true, force: true });
    });

    test('cfn-lint finds no error (warnings are printed)', (t) => {
      const where = (m: CfnLintMatch) =>
        `${m.Filename.startsWith('/') ? relative(work, m.Filename) : m.Filename}:${m.Location.Start.LineNumber} ${(m.Location.Path ?? []).join('/')}`;
      for (const m of lint.filter((x) => x.Level !== 'Error'))
        t.diagnostic(`cfn-lint ${m.Level.toLowerCase()} ${m.Rule.Id} ${where(m)}: ${m.Message}`);
      const errors = lint.filter((m) => m.Level === 'Error').map((m) => `${m.Rule.Id} ${where(m)}: ${m.Message}`);
      assert.deepEqual(
        errors,
        [],
        `cfn-lint errors: fix them in the construct (or, for a proven false positive, ignore the rule with its reason in docs/checkov.md)\n${errors.join('\n')}`,
      );
      t.diagnostic(
        `cfn-lint ${pinned('cfn-lint')}: ${templates.length} templates, 0 errors, ${lint.length} warning(s)/informational`,
      );
    });

    test('checkov scanned every template, with the pinned version', () => {
      assert.equal(checkov.summary.checkov_version, pinned('checkov'));
      assert.equal(
        checkov.summary.parsing_errors,
        0,
        `checkov could not parse: ${(checkov.results.parsing_errors ?? []).join(', ')}`,
      );
      const scanned = new Set(
        [...checkov.results.passed_checks, ...checkov.results.failed_checks].map((c) => c.file_path.replace(/^\//, '')),
      );
      assert.deepEqual(
        templates.filter((t) => !scanned.has(t)),
        [],
        'templates checkov did not scan',
      );
      // A skip in a template's Metadata (checkov.skip) would bypass docs/checkov.md: accept checks there instead.
      assert.deepEqual(
        (checkov.results.skipped_checks ?? []).map((c) => `${c.check_id} ${c.resource} in ${c.file_path}`),
        [],
        'checkov checks skipped inline',
      );
    });

    test('every failed checkov check is accepted in docs/checkov.md', (t) => {
      const accepted = acceptedChecks(doc);
      const unlisted: string[] = [];
      for (const c of checkov.results.failed_checks) {
        const dot = c.resource.indexOf('.');
        const [type, logicalId] = [c.resource.slice(0, dot), c.resource.slice(dot + 1)];
        const row = accepted.find(
          (a) => a.check === c.check_id && a.types.includes(type) && a.ids.some((g) => glob(g).test(logicalId)),
        );
        if (!row)
          unlisted.push(`${c.check_id} (${c.check_name}) on ${type} ${logicalId} in ${c.file_path.replace(/^\//, '')}`);
      }
      assert.deepEqual(
        unlisted,
        [],
        `checkov failed checks not accepted in packages/mesh-core/docs/checkov.md: fix the construct, or add a row with the reason\n${unlisted.join('\n')}`,
      );
      t.diagnostic(
        `checkov ${checkov.summary.checkov_version}: ${checkov.summary.resource_count} resources, ${checkov.summary.passed} passed, ${checkov.summary.failed} failed (all accepted)`,
      );
    });

    test('every accepted check of docs/checkov.md still fails somewhere', () => {
      const stale = acceptedChecks(doc).filter(
        (a) =>
          !checkov.results.failed_checks.some((c) => {
            const dot = c.resource.indexOf('.');
            return (
              c.check_id === a.check &&
              a.types.includes(c.resource.slice(0, dot)) &&
              a.ids.some((g) => glob(g).test(c.resource.slice(dot + 1)))
            );
          }),
      );
      assert.deepEqual(
        stale.map((a) => `docs/checkov.md:${a.line} ${a.check} (${a.types.join(', ')} ${a.ids.join(', ')})`),
        [],
        'these accepted checks no longer fail anywhere: delete their rows so the doc stays true',
      );
    });
  });
}

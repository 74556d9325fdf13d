import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyMesh, domainDir, domainManifestFile } from '@meshkit/contracts';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { runAsMesh } from '../mesh-error.js';
import { contractCheck } from './contract-check.js';
import { contractDiff } from './contract-diff.js';
import { contractExport, EXPORT_TARGETS, type ExportTarget } from './contract-export.js';
import { contractLint } from './contract-lint.js';

/** The example contracts shipped with the CLI. */
export const DEMO_DIR = fileURLToPath(new URL('../../demo/', import.meta.url));

/** The example mesh the demo works in: the repository's own (`mesh.config.yaml`, `platform/`, `domains/` at its root). */
export const EXAMPLE_MESH_DIR = fileURLToPath(new URL('../../../../', import.meta.url));

const EXTENSIONS: Record<ExportTarget, string> = {
  'json-schema': 'schema.json',
  'json-schema-draft-07': 'schema.draft-07.json',
  typescript: 'ts',
  validator: 'validator.mjs',
  glue: 'glue.json',
  dqdl: 'dqdl',
  sql: 'checks.sql.json',
};

export interface DemoOptions {
  /** Where exported files go. @default '.mesh/demo' */
  out: string;
}

/**
 * `mesh demo`: the main job on the bundled examples, nothing to configure. Lints the contracts
 * (one has mistakes), diffs a compatible and a breaking change, runs the version gate, and
 * exports the contract to every target, then synthesizes the example mesh's CDK stacks through the
 * policy pack and prints the policy report, runs its products locally (batch and stream), publishes
 * them to the local catalog and exports the catalog site, lints the consumers' ranges and shows the
 * impact of a breaking edit, and the platform team's release train (an organisation rule warned
 * now and enforced later, the fleet report, enforcement day previewed with --now, domains and a
 * product complying through their manifests' tags). Exits 0 when every step gave the expected
 * verdict.
 */
export async function demo(options: DemoOptions, io: Io): Promise<ExitCode> {
  const out = resolve(io.cwd, options.out);
  mkdirSync(out, { recursive: true });
  const run = new DemoRun(io, out);
  await contractSteps(run);
  await cdkSteps(run);
  await localRunSteps(run);
  await catalogSteps(run);
  await consumerSteps(run);
  await releaseTrain(out, io, run.step);
  return run.summary();
}

/** One run of the demo: where it writes, the example mesh's I/O, and every step's expected and actual exit. */
class DemoRun {
  readonly expectations: Array<[string, ExitCode, ExitCode]> = [];
  /** The I/O of a command run in the example mesh. */
  readonly meshIo: Io;

  constructor(
    readonly io: Io,
    /** Where exported files go (absolute). */
    readonly out: string,
  ) {
    this.meshIo = { ...io, cwd: EXAMPLE_MESH_DIR };
  }

  /** A file of the demo directory as the user would type it from the working directory. */
  rel(file: string): string {
    return relative(this.io.cwd, join(DEMO_DIR, file)) || file;
  }

  /** A path in the example mesh as the user would type it from the working directory. */
  meshRel(file = ''): string {
    return relative(this.io.cwd, join(EXAMPLE_MESH_DIR, file)) || '.';
  }

  /** Runs one step: prints its title and command, runs it, records expected vs actual exit. */
  readonly step: DemoStep = async (title, command, expected, fn) => {
    this.io.stdout(`\n━━ ${title}\n$ mesh ${command}\n`);
    const code = await fn();
    this.io.stdout(`(exit ${code})\n`);
    this.expectations.push([title, expected, code]);
  };

  /** Prints every step's verdict; exit 1 when one gave an unexpected exit code. */
  summary(): ExitCode {
    const failed = this.expectations.filter(([, want, got]) => want !== got);
    this.io.stdout(
      `\n━━ Summary\n${this.expectations.map(([t, want, got]) => `${want === got ? '✓' : '✗'} ${t} (exit ${got}, expected ${want})`).join('\n')}\n`,
    );
    return failed.length ? EXIT.FAILED : EXIT.OK;
  }
}

/** Steps 1–5: lint, diff (compatible and breaking), the version gate, and the exports of a contract. */
async function contractSteps(run: DemoRun): Promise<void> {
  const { io, out, step } = run;
  const v1 = run.rel('orders.v1.odcs.yaml');
  const v11 = run.rel('orders.v1.1.odcs.yaml');
  const v12 = run.rel('orders.v1.2-breaking.odcs.yaml');
  const invalid = run.rel('invalid.odcs.yaml');

  await step(
    '1. Lint the example contracts (one has mistakes)',
    `contract lint ${v1} ${v11} ${invalid}`,
    EXIT.FAILED,
    () => contractLint([v1, v11, invalid], { format: 'text' }, io),
  );
  await step('2. Diff 1.0.0 → 1.1.0: additions only, a minor bump', `contract diff ${v1} ${v11}`, EXIT.OK, () =>
    contractDiff([v1, v11], { format: 'text' }, io),
  );
  await step('3. Diff 1.1.0 → "1.2.0": a breaking change is caught', `contract diff ${v11} ${v12}`, EXIT.FAILED, () =>
    contractDiff([v11, v12], { format: 'text' }, io),
  );
  await step(
    '4. Version gate: "1.2.0" declares a minor bump, the changes need a major',
    `contract check ${v12} --against ${v11}`,
    EXIT.FAILED,
    () => contractCheck(v12, { against: v11, format: 'text' }, io),
  );
  await step(
    '5. Export 1.1.0 to every target',
    `contract export ${v11} --to <target> --out ${relative(io.cwd, out) || '.'}/orders.<ext>`,
    EXIT.OK,
    () => {
      let worst: ExitCode = EXIT.OK;
      for (const to of Object.keys(EXPORT_TARGETS) as ExportTarget[]) {
        const file = join(out, `orders.${EXTENSIONS[to]}`);
        const code = contractExport(v11, { to, out: file }, io);
        io.stdout(`  ${to.padEnd(21)} → ${relative(io.cwd, file)}\n`);
        if (code !== EXIT.OK) worst = code;
      }
      return worst;
    },
  );
  io.stdout('\n$ mesh contract export ' + v11 + ' --to dqdl\n');
  contractExport(v11, { to: 'dqdl' }, io);
}

/** Steps 6–8, the CDK part: the example mesh (two domains: batch, stream and consuming products) through the policy pack. */
async function cdkSteps(run: DemoRun): Promise<void> {
  const { io, meshIo, step } = run;
  const { meshSynth } = await import('./synth.js');
  const { policyReport } = await import('./policy-report.js');
  const assembly = join(run.out, 'cdk.out');
  await step(
    '6. Synthesize the example mesh with the policy pack',
    `synth --out ${relative(io.cwd, assembly)}   (in ${run.meshRel()})`,
    EXIT.OK,
    () => meshSynth(undefined, { out: assembly, format: 'text' }, meshIo),
  );
  await step('7. Policy report of every product', `policy report   (in ${run.meshRel()})`, EXIT.OK, () =>
    policyReport({ format: 'text' }, meshIo),
  );
  const { meshVerify } = await import('./verify.js');
  await step(
    '8. Verify the synthesized mesh before deploy: who can read and write each product, does the data flow',
    `verify --assembly ${relative(io.cwd, assembly)}   (in ${run.meshRel()})`,
    EXIT.OK,
    () => meshVerify(undefined, { assembly, format: 'text' }, meshIo),
  );
}

/** Steps 9–11, the local runtime: batch products on DuckDB, then a stream product through kinesalite. */
async function localRunSteps(run: DemoRun): Promise<void> {
  const { io, meshIo, expectations } = run;
  // sales/orders on DuckDB, then marketing/campaign-performance reading its output.
  const { meshRun } = await import('./run.js');
  const now = '2026-11-02T00:00:00Z'; // the fixtures' day: the 24 h freshness SLA holds
  for (const [n, product] of [
    ['9', 'sales/orders'],
    ['10', 'marketing/campaign-performance'],
  ] as const) {
    // Runs land in the example mesh's .mesh/runs/ (ignored by git), where consumers look for them.
    io.stdout(
      `\n━━ ${n}. Run ${product} locally on DuckDB${n === '10' ? " (reads sales/orders' curated output)" : ''}\n$ mesh run ${product} --now ${now}   (in ${run.meshRel()})\n`,
    );
    const code = await meshRun(product, { now, format: 'text' }, meshIo);
    io.stdout(`(exit ${code})\n`);
    expectations.push([`${n}. Run ${product} locally`, EXIT.OK, code]);
  }

  // The stream path: sales/clickstream replayed through Kinesis (kinesalite on 127.0.0.1), every
  // shard consumed, the micro-batches run through the same pipeline. --now is minutes after the
  // fixtures' events: the product's 15 min latency SLA (occurred_at freshness) holds.
  const streamNow = '2026-11-01T10:12:00Z';
  io.stdout(
    `\n━━ 11. Run sales/clickstream through a local Kinesis stream (kinesalite)\n$ mesh run sales/clickstream --stream --now ${streamNow}   (in ${run.meshRel()})\n`,
  );
  const streamCode = await meshRun('sales/clickstream', { now: streamNow, format: 'text', stream: true }, meshIo);
  io.stdout(`(exit ${streamCode})\n`);
  expectations.push(['11. Run sales/clickstream through a local stream', EXIT.OK, streamCode]);
}

/** Steps 12–14: the embedded local catalog (re-publishing identical content writes nothing) and its site. */
async function catalogSteps(run: DemoRun): Promise<void> {
  const { io, meshIo, step } = run;
  const { meshPublish } = await import('./publish.js');
  const { catalogList } = await import('./catalog.js');
  await step(
    '12. Publish every contract to the local catalog',
    `publish --all   (in ${run.meshRel()})`,
    EXIT.OK,
    // --allow-dirty: the example mesh is this checkout, which may hold uncommitted work.
    () => meshPublish(undefined, { all: true, catalog: 'local', format: 'text', allowDirty: true }, meshIo),
  );
  await step('13. List the catalog', `catalog list   (in ${run.meshRel()})`, EXIT.OK, () =>
    catalogList({ format: 'text' }, meshIo),
  );

  // The catalog site: the same pages and JSON API `mesh catalog serve` answers, as static files.
  const { catalogExport } = await import('./catalog-web.js');
  const site = join(run.out, 'catalog');
  await step(
    '14. Export the catalog web page (products, schemas, quality rules, lineage)',
    `catalog export --html ${relative(io.cwd, site)}   (in ${run.meshRel()})`,
    EXIT.OK,
    () => catalogExport({ html: site, format: 'text' }, meshIo),
  );
  io.stdout(
    `  or serve it live: cd ${run.meshRel()} && node ${relative(EXAMPLE_MESH_DIR, fileURLToPath(new URL('../../bin/mesh.js', import.meta.url)))} catalog serve   (http://127.0.0.1:7411)\n`,
  );
}

/** Steps 15–16, consumers: the product lint of every consumes range, and the impact of a breaking edit. */
async function consumerSteps(run: DemoRun): Promise<void> {
  const { io, meshIo, step } = run;
  const { meshLint } = await import('./lint.js');
  await step(
    '15. Lint the mesh: contracts, consumes ranges and columns, deprecation windows',
    `lint   (in ${run.meshRel()})`,
    EXIT.OK,
    () => meshLint(undefined, { format: 'text' }, meshIo),
  );

  // Impact: a breaking edit of sales/orders (amount removed, declared 1.2.0) in a scratch copy.
  const { meshImpact } = await import('./impact.js');
  const scratch = join(run.out, 'impact-mesh');
  const original = join(EXAMPLE_MESH_DIR, 'domains/sales/products/orders/contract.odcs.yaml');
  await step(
    '16. Impact of a breaking edit of sales/orders (amount removed): whom it breaks',
    `impact sales/orders --against ${run.meshRel('domains/sales/products/orders/contract.odcs.yaml')}   (in a copy: ${relative(io.cwd, scratch)})`,
    EXIT.FAILED,
    async () => {
      copyExampleMesh(scratch);
      const file = join(scratch, 'domains/sales/products/orders/contract.odcs.yaml');
      const doc = parseDocument(readFileSync(file, 'utf8'));
      const props = doc.getIn(['schema', 0, 'properties']) as YAMLSeq<YAMLMap>;
      props.items = props.items.filter((p) => p.get('name') !== 'amount');
      doc.set('version', '1.2.0');
      writeFileSync(file, doc.toString());
      return meshImpact('sales/orders', { against: original, format: 'text' }, { ...io, cwd: scratch });
    },
  );
}

/** Replaces `scratch` with a copy of the example mesh, without what runs, builds and installs generate. */
function copyExampleMesh(scratch: string): void {
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  copyMesh(EXAMPLE_MESH_DIR, scratch);
}

/** One step of the demo: prints the title and command, runs it, records expected vs actual exit. */
export type DemoStep = (
  title: string,
  command: string,
  expected: ExitCode,
  fn: () => ExitCode | Promise<ExitCode>,
) => Promise<void>;

/** The day the demo's organisation rule and mandatory tag are enforced, and a day two weeks before. */
const ENFORCED = '2027-03-01';
const BEFORE = '2027-02-15';

/**
 * The platform team's release train, in a copy of the example mesh: the organisation's policy pack
 * rendered into platform/policies (as `@meshkit/domain-template` generates it) and a new mandatory
 * tag, both warned now and enforced from {@link ENFORCED}; the fleet report; `--upcoming`;
 * enforcement day previewed with `--now`; then the domains comply (domain.yaml tags, a foundation
 * `customize`) and sales/orders through its own product.yaml tags.
 */
export async function releaseTrain(out: string, io: Io, step: DemoStep): Promise<void> {
  const { meshSynth } = await import('./synth.js');
  const { policyReport } = await import('./policy-report.js');
  const { meshFleet } = await import('./fleet.js');
  const scratch = join(out, 'release-train-mesh');
  const dirs = relative(io.cwd, scratch);
  const meshIo: Io = { ...io, cwd: scratch };
  // A MeshError (bad input) is one line and its exit code, as `mesh` prints it.
  const cli = (fn: () => Promise<ExitCode>): Promise<ExitCode> => runAsMesh(fn, io);

  copyExampleMesh(scratch);
  await addOrganisationPolicy(scratch, io);
  await step(
    `18. Policy report ${BEFORE}: the new rule and tag are warnings, each with the day it becomes an error`,
    `policy report --now ${BEFORE}   (in ${dirs})`,
    EXIT.OK,
    () => cli(() => policyReport({ format: 'text', now: BEFORE }, meshIo)),
  );
  await step(
    '19. What turns into an error within 30 days',
    `policy report --now ${BEFORE} --upcoming 30d   (in ${dirs})`,
    EXIT.OK,
    () => cli(() => policyReport({ format: 'text', now: BEFORE, upcoming: '30d' }, meshIo)),
  );
  await step(
    '20. The fleet: every domain and product, warnings with their dates, template and pack versions, consumers',
    `fleet --now ${BEFORE}   (in ${dirs})`,
    EXIT.OK,
    () => cli(() => meshFleet({ format: 'text', now: BEFORE }, meshIo)),
  );
  await step(
    `21. Enforcement day previewed: the missing tag stops synth before it starts (file:line:col)`,
    `synth --now ${ENFORCED}   (in ${dirs})`,
    EXIT.USAGE,
    () => cli(() => meshSynth(undefined, { now: ENFORCED, out: join(scratch, 'cdk.out'), format: 'text' }, meshIo)),
  );
  complyWithOrganisationPolicy(scratch, io);
  await step(
    `23. Enforcement day again: every rule and tag enforced, nothing violated`,
    `policy report --now ${ENFORCED}   (in ${dirs})`,
    EXIT.OK,
    () => cli(() => policyReport({ format: 'text', now: ENFORCED }, meshIo)),
  );
}

/**
 * Step 17 in the mesh copy `scratch`: the organisation's policy pack rendered into platform/policies
 * and installed, its rule and a mandatory tag added to mesh.config.yaml, enforced from {@link ENFORCED}.
 */
async function addOrganisationPolicy(scratch: string, io: Io): Promise<void> {
  const { renderPlatform } = await import('@meshkit/domain-template');
  const dirs = relative(io.cwd, scratch);
  for (const f of renderPlatform({ scope: '@example', organisation: 'Example Corp' })) {
    if (!f.path.startsWith('policies/')) continue;
    mkdirSync(dirname(join(scratch, 'platform', f.path)), { recursive: true });
    writeFileSync(join(scratch, 'platform', f.path), f.content);
  }
  // Installed as npm installs a workspace package.
  mkdirSync(join(scratch, 'node_modules', '@example'), { recursive: true });
  symlinkSync(join(scratch, 'platform', 'policies'), join(scratch, 'node_modules', '@example', 'policies'), 'dir');
  const config = join(scratch, 'mesh.config.yaml');
  writeFileSync(
    config,
    readFileSync(config, 'utf8') +
      [
        'policy:',
        '  packs: ["@example/policies"]',
        '  rules:',
        `    EXAMPLE-ENC-KMS-ROTATION-PERIOD: { enforceFrom: "${ENFORCED}" }`,
        '  tags: [domain, product, owner, classification, cost-center, contract-version,',
        `         { key: data-steward, pattern: "^[a-z.-]+@example\\\\.com$", enforceFrom: "${ENFORCED}" }]`,
        '',
      ].join('\n'),
  );
  io.stdout(
    `\n━━ 17. The platform team adds an organisation rule and a mandatory tag (warned now, enforced from ${ENFORCED})\n`,
  );
  io.stdout(
    `  ${dirs}/platform/policies: @example/policies 0.1.0, rule EXAMPLE-ENC-KMS-ROTATION-PERIOD (rendered by @meshkit/domain-template)\n`,
  );
  io.stdout(
    `  ${dirs}/mesh.config.yaml:\n${readFileSync(config, 'utf8')
      .split('policy:')[1]!
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n')}\n`,
  );
}

/**
 * Step 22 in the mesh copy `scratch`: the domains comply — their data steward in domain.yaml, the
 * stricter key in the foundation's customize; sales/orders names its own steward in product.yaml.
 */
function complyWithOrganisationPolicy(scratch: string, io: Io): void {
  for (const domain of ['sales', 'marketing']) {
    const manifest = domainManifestFile(scratch, domain);
    writeFileSync(manifest, readFileSync(manifest, 'utf8') + `tags:\n  data-steward: ${domain}.steward@example.com\n`);
    mkdirSync(join(domainDir(scratch, domain), 'foundation'), { recursive: true });
    writeFileSync(
      join(domainDir(scratch, domain), 'foundation', 'stack.ts'),
      [
        "import type { Stack } from 'aws-cdk-lib';",
        "import type { MeshDomain } from '@meshkit/core';",
        '',
        "/** The organisation's KMS rule: the domain key rotates every 180 days. */",
        'export function customize(stack: Stack, _domain: MeshDomain): void {',
        "  const key = stack.node.findChild('Foundation').node.findChild('Key').node.defaultChild as unknown as { rotationPeriodInDays?: number };",
        '  key.rotationPeriodInDays = 180;',
        '}',
        '',
      ].join('\n'),
    );
  }
  const orders = join(scratch, 'domains/sales/products/orders/product.yaml');
  writeFileSync(orders, readFileSync(orders, 'utf8') + 'tags:\n  data-steward: orders.steward@example.com\n');
  io.stdout(
    `\n━━ 22. The domains comply: domain.yaml tags (data-steward), foundation/stack.ts customize (key rotation 180 days); sales/orders through its product.yaml tags\n`,
  );
  io.stdout(`  ${relative(io.cwd, orders)}:\n    tags:\n      data-steward: orders.steward@example.com\n`);
}

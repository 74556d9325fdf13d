// The mesh's access rules, checked against the access matrix: consumers read exactly what they
// consume, only the producer reads its raw zone and writes its zones, restricted columns only to
// principals granted them, no wildcard principal near data.
import type { ProductIntent } from '@meshkit/contracts';
import { pushTo, tableKey, type JobModel, type Located, type TableModel } from '../model.js';
import type { AccessContext } from './access-context.js';
import type { AccessMatrix } from './access-matrix.js';
import { EVERYONE, describe, isShare, wildcardAllows } from './access-policy.js';
import { RAW_ZONE, type AccessCell, type PrincipalInfo } from './access-types.js';

/** One `consumes` edge of a product. */
type ConsumeEdge = ProductIntent['consumes'][number];

/** One product under check, with what its rules need. */
interface ProductUnderCheck {
  ref: string;
  intent: ProductIntent;
  job: JobModel | undefined;
  jobRole: PrincipalInfo | undefined;
  /** Where findings about the product's job go: the job, else its stack. */
  at: Located;
  /** Roles of the product's stack that Firehose assumes (its delivery streams' roles). */
  firehoseRoles: Set<string>;
  /** The roles that may write the product's zones: its job's. */
  ownRoles: Set<string>;
}

/** Checks the access rules of every product, then the wildcard principals of the assembly. */
export function checkAccessRules(ctx: AccessContext, matrix: AccessMatrix): void {
  const m = ctx.m;
  // The Firehose roles of each stack: its delivery streams' roles, or a role of the stack Firehose may assume.
  const firehoseRolesOf = new Map<string, Set<string>>();
  const addFirehoseRole = (stack: string, arn: string) =>
    firehoseRolesOf.set(stack, (firehoseRolesOf.get(stack) ?? new Set<string>()).add(arn));
  for (const f of m.firehoses) if (f.roleArn) addFirehoseRole(f.stack.name, f.roleArn);
  for (const r of m.roles.values())
    if (JSON.stringify(r.trust).includes('firehose.amazonaws.com')) addFirehoseRole(r.stack.name, r.arn);
  const cellsOf = new Map<string, AccessCell[]>();
  for (const c of matrix.cells) pushTo(cellsOf, c.product, c);
  const cellsByPrincipal = new Map<string, AccessCell[]>();
  for (const c of matrix.cells) pushTo(cellsByPrincipal, c.principal, c);

  for (const [ref, { intent, stackName }] of ctx.products) {
    const job = m.jobs.get(intent.jobName);
    const product: ProductUnderCheck = {
      ref,
      intent,
      job,
      jobRole: job?.roleArn ? ctx.principals.get(job.roleArn) : undefined,
      at: job ?? { stack: m.assembly.byName.get(stackName)!, logicalId: '(job)' },
      firehoseRoles: firehoseRolesOf.get(stackName) ?? new Set<string>(),
      ownRoles: new Set(job?.roleArn ? [job.roleArn] : []),
    };
    for (const edge of intent.consumes) consumerReads(ctx, matrix, product, edge);
    if (product.jobRole) undeclaredReads(ctx, product, cellsByPrincipal.get(product.jobRole.id) ?? []);
    const cells = cellsOf.get(ref) ?? [];
    rawZoneReads(ctx, product, cells);
    foreignWrites(ctx, product, cells);
    if (intent.restrictedColumns.length) restrictedColumns(ctx, matrix, product);
  }
  wildcardPrincipals(ctx);
}

/** Consumers read exactly what they consume. */
function consumerReads(ctx: AccessContext, matrix: AccessMatrix, product: ProductUnderCheck, edge: ConsumeEdge): void {
  const { ref, intent, job, jobRole, at } = product;
  const m = ctx.m;
  const t = m.tables.get(tableKey(edge.databaseName, edge.tableName));
  const grantAt = m.grants.find((g) => g.principal === job?.roleArn && g.consumes?.product === edge.product) ?? at;
  if (!t) {
    ctx.finding(
      'VERIFY-ACCESS-CONSUMER-CANNOT-READ',
      grantAt,
      `${ref} consumes ${edge.product} (${edge.range} → ${edge.databaseName}.${edge.tableName}), but no stack of the assembly defines that table`,
      ref,
    );
    return;
  }
  if (!jobRole) {
    ctx.finding(
      'VERIFY-ACCESS-CONSUMER-CANNOT-READ',
      at,
      `${ref} consumes ${edge.product}, but its job ${intent.jobName} has no role`,
      ref,
    );
    return;
  }
  const lf = matrix.lfReadable.get(`${jobRole.id}|${tableKey(t.database, t.name)}`);
  const want = edge.columns ?? t.columns;
  const readable = lf && !lf.blocked ? lf.columns : new Set<string>();
  const missing = want.filter((c) => !readable.has(c));
  if (missing.length) {
    const why =
      lf?.blocked ??
      (lf
        ? 'its Lake Formation grants do not cover them'
        : `it has no Lake Formation SELECT grant on ${t.database}.${t.name}`);
    ctx.finding(
      'VERIFY-ACCESS-CONSUMER-CANNOT-READ',
      grantAt,
      `${jobRole.label} (${jobRole.id}) cannot read ${missing.join(', ')} of ${t.database}.${t.name} (${edge.product} ${edge.range}): ${why}`,
      ref,
    );
  }
  if (edge.link) {
    const why = linkProblem(ctx, jobRole, t, edge.link);
    if (why)
      ctx.finding(
        'VERIFY-ACCESS-CONSUMER-CANNOT-READ',
        grantAt,
        `${jobRole.label} (${jobRole.id}) cannot read ${t.database}.${t.name} (${edge.product} ${edge.range}) from the other account: ${why}`,
        ref,
      );
  }
  if (edge.columns) {
    const extra = [...readable].filter((c) => !edge.columns!.includes(c));
    if (extra.length)
      ctx.finding(
        'VERIFY-ACCESS-CONSUMER-EXCESS',
        grantAt,
        `${jobRole.label} can read ${extra.join(', ')} of ${t.database}.${t.name}, which ${ref} does not consume (consumes: ${edge.columns.join(', ')})`,
        ref,
      );
  }
}

/** Across accounts the job reads a resource link, named like the shared table, that it may describe. */
function linkProblem(
  ctx: AccessContext,
  jobRole: PrincipalInfo,
  t: TableModel,
  link: NonNullable<ConsumeEdge['link']>,
): string | undefined {
  const m = ctx.m;
  const linked = m.tables.get(tableKey(link.databaseName, link.tableName));
  const describes = m.grants.some(
    (g) =>
      g.principal === jobRole.id &&
      g.resource.kind === 'table' &&
      g.resource.database === link.databaseName &&
      g.resource.table === link.tableName &&
      g.permissions.some((x) => x === 'DESCRIBE' || x === 'ALL'),
  );
  return !linked
    ? `its resource link ${link.databaseName}.${link.tableName} is not in the assembly`
    : linked.target?.name !== t.name || linked.target.database !== t.database
      ? `its resource link ${link.databaseName}.${link.tableName} does not point at ${t.database}.${t.name}`
      : link.tableName !== t.name
        ? `its resource link is named ${link.tableName}, but Glue 5.0 reads a shared table only through a link of the same name (${t.name})`
        : !describes
          ? `it has no DESCRIBE grant on its resource link ${link.databaseName}.${link.tableName}`
          : undefined;
}

/** A product job reads only its own product and what it consumes. */
function undeclaredReads(ctx: AccessContext, product: ProductUnderCheck, jobCells: AccessCell[]): void {
  const { ref, intent, job, jobRole } = product;
  const consumed = new Set(intent.consumes.map((c) => c.product));
  for (const c of jobCells) {
    if (
      c.principal !== jobRole!.id ||
      c.product === ref ||
      consumed.has(c.product) ||
      !Object.keys(c.read).filter((k) => k !== RAW_ZONE).length
    )
      continue;
    ctx.finding(
      'VERIFY-ACCESS-UNDECLARED-READ',
      job!,
      `${jobRole!.label} can read ${c.product} (${Object.keys(c.read).join(', ')} via ${c.via.join(' and ')}), which ${ref} does not consume`,
      ref,
    );
  }
}

/** Only the producer's job (and its Firehose, which delivers there) reads its raw zone (landing files, quarantined rows). */
function rawZoneReads(ctx: AccessContext, { ref, ownRoles, firehoseRoles }: ProductUnderCheck, cells: AccessCell[]) {
  for (const c of cells) {
    if (c.product !== ref || !c.read[RAW_ZONE] || ownRoles.has(c.principal) || firehoseRoles.has(c.principal)) continue;
    const p = ctx.principals.get(c.principal)!;
    const b = ctx.bucketsOf(ref).find((x) => x.zone === 'raw')!;
    ctx.finding(
      'VERIFY-ACCESS-UNDECLARED-READ',
      b,
      `${p.label} can read the raw zone of ${ref} (landing files and quarantined rows, every column), which only ${ref}'s job reads`,
      ref,
    );
  }
}

/** Only the producer writes its zones. */
function foreignWrites(ctx: AccessContext, { ref, ownRoles, firehoseRoles }: ProductUnderCheck, cells: AccessCell[]) {
  for (const c of cells) {
    if (c.product !== ref || !c.write.length || ownRoles.has(c.principal)) continue;
    const zones = c.write.filter((z) => !(z === 'raw' && firehoseRoles.has(c.principal)));
    if (!zones.length) continue;
    const p = ctx.principals.get(c.principal)!;
    const b = ctx.bucketsOf(ref).find((x) => x.zone === zones[0])!;
    ctx.finding(
      'VERIFY-ACCESS-FOREIGN-WRITE',
      b,
      `${p.label} can write the ${zones.join(' and ')} zone of ${ref}; only ${ref}'s own job${firehoseRoles.size ? ' (and its Firehose, the raw zone)' : ''} may`,
      ref,
    );
  }
}

/** Restricted columns only to principals granted them. */
function restrictedColumns(ctx: AccessContext, matrix: AccessMatrix, { ref, intent, ownRoles }: ProductUnderCheck) {
  for (const name of intent.tables) {
    const t = ctx.m.tables.get(tableKey(intent.databaseName, name));
    if (!t) continue;
    const restricted = intent.restrictedColumns.filter((c) => t.columns.includes(c));
    for (const p of ctx.principals.values()) {
      const c = matrix.existing(p.id, ref);
      if (!c || ownRoles.has(p.id) || ctx.bucketsOf(ref).some((b) => ctx.isRegistrationFor(p.id, b.name))) continue;
      const cols = c.read[t.name];
      if (!cols) continue;
      const exposed = restricted.filter((x) => cols.includes('*') || cols.includes(x));
      if (!exposed.length) continue;
      const lf = matrix.lfReadable.get(`${p.id}|${tableKey(t.database, t.name)}`);
      const edge = p.jobOf ? ctx.products.get(p.jobOf)?.intent.consumes.find((e) => e.product === ref) : undefined;
      const unjustified = exposed.filter((col) => {
        if (p.kind === 'everyone' || p.kind === 'account') return true;
        if (c.via.includes('s3')) return true;
        if (edge) return edge.columns !== undefined && !edge.columns.includes(col);
        return !(lf?.grants ?? []).some(
          (g) =>
            (g.resource.kind === 'table' && g.resource.columns?.includes(col)) ||
            (g.resource.kind === 'tag-policy' && g.resource.expression.some((e) => e.values.includes('restricted'))),
        );
      });
      if (unjustified.length) {
        ctx.finding(
          'VERIFY-ACCESS-RESTRICTED-COLUMN',
          lf?.grants[0] ?? t,
          `${p.label} can read the restricted column(s) ${unjustified.join(', ')} of ${t.database}.${t.name} without a grant naming them${c.via.includes('s3') ? ' (reads the files directly, bypassing Lake Formation)' : ''}`,
          ref,
        );
      }
    }
  }
}

/** No wildcard principal near data: grants to everyone or a whole account, resource policies allowing "*". */
function wildcardPrincipals(ctx: AccessContext): void {
  const m = ctx.m;
  for (const g of m.grants) {
    if (g.principal === EVERYONE || (/^\d{12}$/.test(g.principal) && !isShare(g))) {
      ctx.finding(
        'VERIFY-ACCESS-WILDCARD-PRINCIPAL',
        g,
        `Lake Formation grant to ${g.principal === EVERYONE ? 'IAM_ALLOWED_PRINCIPALS (everyone IAM allows)' : `every principal of account ${g.principal}`} on ${describe(g)}`,
      );
    }
  }
  for (const b of m.buckets.values())
    for (const s of wildcardAllows(b.policy))
      ctx.finding(
        'VERIFY-ACCESS-WILDCARD-PRINCIPAL',
        b,
        `bucket policy of ${b.name} allows ${s} to principal "*"`,
        b.product,
      );
  for (const k of m.keys.values())
    for (const s of wildcardAllows(k.policy))
      ctx.finding('VERIFY-ACCESS-WILDCARD-PRINCIPAL', k, `key policy of ${k.arn} allows ${s} to principal "*"`);
}

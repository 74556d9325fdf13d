import { actionMatches } from '../iam/action.js';
import type { ProductIntent } from '@meshkit/contracts';
import { evaluate } from '../iam/evaluate.js';
import type { DecisionKind, PolicyDocument, RequestPrincipal } from '../iam/types.js';
import type { VerifyFinding } from '../finding.js';
import {
  pushTo,
  tableKey,
  type BucketModel,
  type LfGrant,
  type Located,
  type MeshModel,
  type RoleModel,
  type TableModel,
} from '../model.js';

/** Who a principal is, for the matrix. */
export interface PrincipalInfo {
  /** Role ARN, account id, or `IAM_ALLOWED_PRINCIPALS`. */
  id: string;
  kind: 'role' | 'external-role' | 'account' | 'everyone';
  /** Readable name: `job of sales/orders`, `<stack>/<logical id>`, or the ARN. */
  label: string;
  /** The role, when the assembly defines it. */
  role?: RoleModel;
  /** The product whose job this role runs, if any. */
  jobOf?: string;
}

/** What one principal can do with one product. */
export interface AccessCell {
  principal: string;
  product: string;
  /** Columns readable per output table (`'*'` = every column); empty when it cannot read. */
  read: Record<string, string[]>;
  /** How it reads: Lake Formation grants and/or S3 directly. */
  via: Array<'lake-formation' | 's3'>;
  /** Zones it can write. */
  write: Array<'raw' | 'curated'>;
}

/** The access matrix and what it proves wrong. */
export interface AccessReport {
  principals: PrincipalInfo[];
  cells: AccessCell[];
  findings: VerifyFinding[];
}

const ALLOW_ALL: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};
const ACCOUNT_OF = /^arn:aws[a-z-]*:iam::(\d{12}):/;
const EVERYONE = 'IAM_ALLOWED_PRINCIPALS';

/**
 * Computes who can read and write each product (principals × products) from IAM identity
 * policies, bucket policies, key policies, Lake Formation grants (named and LF-tag expressions,
 * column tags included) and data-location registrations, then checks the mesh's access rules.
 *
 * Principals outside the assembly (consumers' roles of mesh.config.yaml, accounts named in
 * grants or resource policies) are assumed to be allowed everything by their own identity
 * policies: what they can reach is what the assembly's resource policies and grants give them.
 */
export function analyseAccess(m: MeshModel): AccessReport {
  const findings: VerifyFinding[] = [];
  const finding = (id: string, at: Located, message: string, product?: string) =>
    findings.push({ id, stack: at.stack.name, logicalId: at.logicalId, message, ...(product ? { product } : {}) });
  const reported = new Set<string>();
  const unknownOnce = (at: Located, what: string, why: string[]) => {
    const key = `${at.stack.name}/${at.logicalId}:${what}`;
    if (reported.has(key)) return;
    reported.add(key);
    finding(
      'VERIFY-ACCESS-UNINTERPRETABLE',
      at,
      `cannot decide ${what}: ${why.join('; ')} — treated as not allowed, never as allowed`,
    );
  };

  // Principals.
  const jobRoles = new Map<string, string>(); // role ARN → product
  const products = new Map<string, { intent: ProductIntent; stackName: string }>();
  for (const { intent, stack } of m.products) {
    const ref = `${intent.domain}/${intent.product}`;
    products.set(ref, { intent, stackName: stack.name });
    const job = m.jobs.get(intent.jobName);
    if (job?.roleArn) jobRoles.set(job.roleArn, ref);
  }
  const principals = new Map<string, PrincipalInfo>();
  const stackProduct = new Map(m.products.map((p) => [p.stack.name, `${p.intent.domain}/${p.intent.product}`]));
  const roleNames = new Map<string, string>();
  for (const f of m.firehoses)
    if (f.roleArn && stackProduct.has(f.stack.name))
      roleNames.set(f.roleArn, `firehose of ${stackProduct.get(f.stack.name)}`);
  for (const l of m.locations)
    if (l.roleArn && stackProduct.has(l.stack.name))
      roleNames.set(l.roleArn, `lake formation location role of ${stackProduct.get(l.stack.name)}`);
  for (const role of m.roles.values()) {
    const jobOf = jobRoles.get(role.arn);
    const label = jobOf ? `job of ${jobOf}` : (roleNames.get(role.arn) ?? `${role.stack.name}/${role.logicalId}`);
    principals.set(role.arn, { id: role.arn, kind: 'role', label, role, ...(jobOf ? { jobOf } : {}) });
  }
  const external = (id: string) => {
    if (principals.has(id)) return;
    if (id === EVERYONE)
      principals.set(id, { id, kind: 'everyone', label: 'IAM_ALLOWED_PRINCIPALS (everyone IAM allows)' });
    else if (/^\d{12}$/.test(id))
      principals.set(id, { id, kind: 'account', label: `every principal of account ${id}` });
    else principals.set(id, { id, kind: 'external-role', label: id });
  };
  for (const g of m.grants) if (g.principal !== '?') external(g.principal);
  for (const b of m.buckets.values()) for (const p of namedPrincipals(b.policy)) external(p);

  // Registration roles are Lake Formation's own readers of the location they register (when Lake
  // Formation can assume them): not grantees there. Anywhere else they are principals like any other.
  const trustsLakeFormation = (role: RoleModel | undefined) =>
    role !== undefined && JSON.stringify(role.trust).includes('lakeformation.amazonaws.com');
  const registers = new Map<string, Set<string>>(); // role ARN → buckets it registers
  for (const l of m.locations) {
    const bucket = /^arn:aws[a-z-]*:s3:::([^/]+)/.exec(l.resourceArn)?.[1];
    if (l.roleArn && bucket && trustsLakeFormation(m.roles.get(l.roleArn)))
      registers.set(l.roleArn, (registers.get(l.roleArn) ?? new Set<string>()).add(bucket));
  }
  const bucketsOf = (ref: string): BucketModel[] => m.productBuckets.get(ref) ?? [];
  const isRegistrationFor = (principal: string, bucket: string | undefined) =>
    bucket !== undefined && (registers.get(principal)?.has(bucket) ?? false);

  // IAM evaluation.
  const requester = (p: PrincipalInfo): RequestPrincipal | undefined => {
    if (p.kind === 'role' || p.kind === 'external-role')
      return {
        arn: p.id,
        kind: p.role?.principalKind ?? 'role',
        ...(ACCOUNT_OF.exec(p.id) ? { account: ACCOUNT_OF.exec(p.id)![1]! } : {}),
      };
    if (p.kind === 'account') return { arn: `arn:aws:iam::${p.id}:role/any-principal`, account: p.id, kind: 'role' };
    return undefined;
  };
  const identity = (p: PrincipalInfo): PolicyDocument[] => (p.role ? p.role.policies : ALLOW_ALL_LIST);
  const decide = (
    p: PrincipalInfo,
    action: string,
    resource: string,
    at: Located,
    resourcePolicy: PolicyDocument | undefined,
    opts: { kms?: boolean; account: string; region: string },
  ): DecisionKind => {
    const principal = requester(p);
    if (!principal) return 'implicit-deny';
    if (p.role && p.role.unknownManagedPolicies.length) {
      unknownOnce(p.role, `what ${p.label} may do`, [
        `managed policies not in the assembly: ${p.role.unknownManagedPolicies.join(', ')}`,
      ]);
    }
    const d = evaluate({
      request: {
        principal,
        action,
        resource,
        resourceAccount: opts.account,
        context: {
          'aws:SecureTransport': true,
          ...(opts.kms ? { 'kms:ViaService': `s3.${opts.region}.amazonaws.com` } : {}),
        },
      },
      identityPolicies: identity(p),
      ...(resourcePolicy ? { resourcePolicy } : {}),
      resourceType: opts.kms ? 'kms-key' : 'other',
    });
    if (d.decision === 'unknown') unknownOnce(at, `whether ${p.label} may ${action} ${resource}`, d.unknowns);
    return d.decision;
  };

  // S3 (+ KMS) access per bucket, only for principals that could reach it.
  const index = s3Index(principals);
  // A fast "certainly not": no identity statement of the principal can allow the action (and the
  // bucket policy allows nothing), so the full evaluation is skipped.
  const mayAllowCache = new Map<string, boolean>();
  const identityMayAllow = (p: PrincipalInfo, action: string): boolean => {
    if (!p.role) return true;
    const k = `${p.id}\u0000${action}`;
    let v = mayAllowCache.get(k);
    if (v === undefined) {
      v = p.role.policies.some((doc) =>
        statementsOf(doc).some(
          (st) =>
            st.Effect !== 'Deny' &&
            (st.NotAction !== undefined ||
              listOf(st.Action).some((a) => typeof a !== 'string' || actionMatches(a, action))),
        ),
      );
      mayAllowCache.set(k, v);
    }
    return v;
  };
  const s3Can = (
    p: PrincipalInfo,
    b: BucketModel,
    action: 's3:GetObject' | 's3:PutObject' | 's3:DeleteObject' | 's3:PutBucketPolicy',
    key: string,
  ): boolean => {
    if (!identityMayAllow(p, action) && !statementsOf(b.policy).some((st) => st.Effect !== 'Deny')) return false;
    const opts = { account: b.stack.account, region: b.stack.region };
    if (decide(p, action, action === 's3:PutBucketPolicy' ? b.arn : `${b.arn}/${key}`, b, b.policy, opts) !== 'allow')
      return false;
    if (!b.kmsKeyArn || action === 's3:DeleteObject' || action === 's3:PutBucketPolicy') return true;
    const key_ = m.keys.get(b.kmsKeyArn);
    if (!key_) return true; // a key outside the assembly: its policy is unknown; S3 decided
    return (
      decide(p, action === 's3:GetObject' ? 'kms:Decrypt' : 'kms:GenerateDataKey', key_.arn, key_, key_.policy, {
        ...opts,
        kms: true,
      }) === 'allow'
    );
  };
  const candidates = (b: BucketModel): PrincipalInfo[] => {
    // Accounts and IAM_ALLOWED_PRINCIPALS reach S3 only where the bucket policy names them.
    const ids = new Set([
      ...(index.byBucket.get(b.name) ?? []),
      ...[...index.any].filter((id) => principals.get(id)?.kind !== 'account' && id !== EVERYONE),
      ...namedPrincipals(b.policy),
    ]);
    return [...ids].map((id) => principals.get(id)).filter((p): p is PrincipalInfo => p !== undefined);
  };

  // Lake Formation: tags of tables and columns, grants by principal.
  const tagsOf = lfTags(m);
  const grantsByPrincipal = new Map<string, LfGrant[]>();
  for (const g of m.grants) pushTo(grantsByPrincipal, g.principal, g);
  // The SELECT grants each principal holds: its own, its account's, and everyone's. A grant to
  // another account is a share (cross-account): that account's administrator grants its own
  // principals, within what was shared with the grant option; nobody reads through the share itself.
  const readGrants = new Map<string, LfGrant[]>();
  for (const p of principals.values()) {
    const acct = p.kind === 'account' ? p.id : ACCOUNT_OF.exec(p.id)?.[1];
    const all = [
      ...(grantsByPrincipal.get(p.id) ?? []),
      ...(acct && acct !== p.id ? (grantsByPrincipal.get(acct) ?? []) : []),
      ...(p.id !== EVERYONE ? (grantsByPrincipal.get(EVERYONE) ?? []) : []),
    ].filter((g) => !isShare(g) && g.permissions.some((x) => x === 'SELECT' || x === 'ALL'));
    if (all.length) readGrants.set(p.id, all);
  }
  /** Columns of `t` its account shared with `account` with the grant option. */
  const shared = (t: TableModel, account: string): Set<string> => {
    const out = new Set<string>();
    for (const g of grantsByPrincipal.get(account) ?? []) {
      const r = g.resource;
      if (!isShare(g) || g.stack.account !== t.stack.account || !g.grantable.some((x) => x === 'SELECT' || x === 'ALL'))
        continue;
      if (
        r.kind === 'table' &&
        r.catalog === t.stack.account &&
        r.database === t.database &&
        (r.table === '*' || r.table === t.name)
      ) {
        for (const c of r.columns ?? t.columns.filter((x) => !(r.excluded ?? []).includes(x))) out.add(c);
      }
    }
    return out;
  };
  const grantsFor = (p: PrincipalInfo): LfGrant[] => readGrants.get(p.id) ?? [];
  const locationsByBucket = new Map<string, typeof m.locations>();
  for (const l of m.locations) {
    const n = /^arn:aws[a-z-]*:s3:::([^/]+)/.exec(l.resourceArn)?.[1];
    if (n) pushTo(locationsByBucket, n, l);
  }
  const registered = (t: TableModel): { ok: boolean; why?: string } => {
    const loc = t.location;
    if (!loc) return { ok: false, why: `table ${t.database}.${t.name} has no location` };
    const bucketName = /^s3:\/\/([^/]+)/.exec(loc)?.[1];
    const reg = (bucketName ? (locationsByBucket.get(bucketName) ?? []) : []).find((l) =>
      loc.startsWith(`s3://${l.resourceArn.replace(/^arn:aws[a-z-]*:s3:::/, '')}`),
    );
    if (!reg)
      return {
        ok: false,
        why: `its location ${loc} is not registered with Lake Formation (no AWS::LakeFormation::Resource for the bucket), so Lake Formation vends no credentials for it`,
      };
    if (reg.serviceLinkedRole || !reg.roleArn) return { ok: true };
    if (m.roles.has(reg.roleArn) && !trustsLakeFormation(m.roles.get(reg.roleArn))) {
      return {
        ok: false,
        why: `the role registering ${loc} with Lake Formation (${reg.stack.name}/${reg.logicalId}) does not trust lakeformation.amazonaws.com, so Lake Formation cannot assume it to vend credentials`,
      };
    }
    const role = principals.get(reg.roleArn);
    const bucket = bucketName ? m.buckets.get(bucketName) : undefined;
    if (!role || !bucket) return { ok: true };
    const prefix = loc.slice(`s3://${bucket.name}/`.length);
    return s3Can(role, bucket, 's3:GetObject', `${prefix}part-00000.parquet`)
      ? { ok: true }
      : {
          ok: false,
          why: `the role registering ${loc} with Lake Formation (${reg.stack.name}/${reg.logicalId}) cannot read it (S3 or the bucket's KMS key)`,
        };
  };
  const lfColumns = (p: PrincipalInfo, t: TableModel): { columns: Set<string>; grants: LfGrant[] } => {
    const columns = new Set<string>();
    const grants: LfGrant[] = [];
    for (const g of grantsFor(p)) {
      const r = g.resource;
      let got: string[] = [];
      if (
        r.kind === 'table' &&
        r.catalog === t.stack.account &&
        r.database === t.database &&
        (r.table === '*' || r.table === t.name)
      ) {
        got = r.columns ?? t.columns.filter((c) => !(r.excluded ?? []).includes(c));
        // Granted in another account's catalog: only what the table's account shared with it.
        if (g.stack.account !== t.stack.account) {
          const s2 = shared(t, g.stack.account);
          got = got.filter((c) => s2.has(c));
        }
      } else if (r.kind === 'tag-policy' && r.resourceType === 'TABLE' && r.catalog === t.stack.account) {
        got = t.columns.filter((c) => r.expression.every((e) => e.values.includes(tagsOf(t, c)[e.key] ?? '\u0000')));
      }
      if (got.length) {
        grants.push(g);
        for (const c of got) columns.add(c);
      }
    }
    return { columns, grants };
  };
  /**
   * Why a product's Glue 5.0 job cannot read its grant in the mode it runs in, if it cannot:
   * column-limited grants need fine-grained access control (`--enable-lakeformation-fine-grained-access`),
   * whole-table grants without it need Full Table Access allowed in the table's account.
   */
  const jobMode = (p: PrincipalInfo, t: TableModel, columns: Set<string>): string | undefined => {
    if (!p.jobOf) return undefined;
    const job = m.jobs.get(products.get(p.jobOf)!.intent.jobName);
    if (job?.args['--enable-lakeformation-fine-grained-access'] === 'true') return undefined;
    if (!t.columns.every((c) => columns.has(c)))
      return `${p.label} is granted only some columns of ${t.database}.${t.name}, which a Glue 5.0 job reads only with fine-grained access control (--enable-lakeformation-fine-grained-access), which its job ${job?.name ?? '?'} does not enable`;
    const settings = m.lakeSettings.get(t.stack.account);
    if (settings && !settings.fullTableAccess)
      return `${p.label} reads ${t.database}.${t.name} whole, in Full Table Access mode, which the Lake Formation settings of account ${t.stack.account} do not allow (AllowFullTableExternalDataAccess)`;
    return undefined;
  };
  const canUseLf = (p: PrincipalInfo, t: TableModel): boolean => {
    if (!p.role) return true; // outside the assembly: assumed (their account's IAM)
    // Only the caller's identity policies decide here: across accounts, the catalog's side is the
    // Lake Formation share (AWS RAM), not a resource policy.
    const opts = { account: p.role.stack.account, region: t.stack.region };
    return (
      decide(p, 'lakeformation:GetDataAccess', '*', p.role, undefined, opts) === 'allow' &&
      decide(
        p,
        'glue:GetTable',
        `arn:aws:glue:${t.stack.region}:${t.stack.account}:table/${t.database}/${t.name}`,
        p.role,
        undefined,
        opts,
      ) === 'allow'
    );
  };

  // The matrix.
  const cells: AccessCell[] = [];
  const cellOf = new Map<string, AccessCell>();
  const cell = (p: PrincipalInfo, product: string): AccessCell => {
    const k = `${p.id}\u0000${product}`;
    let c = cellOf.get(k);
    if (!c) {
      c = { principal: p.id, product, read: {}, via: [], write: [] };
      cellOf.set(k, c);
      cells.push(c);
    }
    return c;
  };
  const lfReadable = new Map<string, { columns: Set<string>; grants: LfGrant[]; blocked?: string }>(); // principal|table
  for (const [ref, { intent }] of products) {
    const zoneBuckets = bucketsOf(ref);
    const tables = intent.tables
      .map((n) => m.tables.get(tableKey(intent.databaseName, n)))
      .filter((t): t is TableModel => t !== undefined);
    // S3: reads of each table's data, writes of each zone.
    for (const b of zoneBuckets) {
      for (const p of candidates(b)) {
        if (isRegistrationFor(p.id, b.name)) continue;
        const read = (table: string) => {
          const c = cell(p, ref);
          c.read[table] = ['*'];
          if (!c.via.includes('s3')) c.via.push('s3');
        };
        if (b.zone === 'curated') {
          for (const t of tables) {
            const prefix = t.location?.startsWith(`s3://${b.name}/`)
              ? t.location.slice(`s3://${b.name}/`.length)
              : `${t.name}/`;
            if (s3Can(p, b, 's3:GetObject', `${prefix}part-00000.parquet`)) read(t.name);
          }
        }
        const keys =
          b.zone === 'raw' ? [`${intent.rawPrefix}x`, 'tmp/x', 'quarantine/x'] : tables.map((t) => `${t.name}/x`);
        // The raw zone holds the landing files and quarantined rows: every column, unchecked.
        if (b.zone === 'raw' && keys.some((k) => s3Can(p, b, 's3:GetObject', k))) read(RAW_ZONE);
        // Writing is putting or deleting objects, or replacing the bucket policy (which grants the rest).
        if (
          keys.some((k) => s3Can(p, b, 's3:PutObject', k) || s3Can(p, b, 's3:DeleteObject', k)) ||
          s3Can(p, b, 's3:PutBucketPolicy', '')
        ) {
          const c = cell(p, ref);
          if (!c.write.includes(b.zone!)) c.write.push(b.zone!);
        }
      }
    }
    // Lake Formation: reads through grants, where the location is registered and IAM lets the principal ask.
    for (const t of tables) {
      const reg = registered(t);
      for (const id of readGrants.keys()) {
        const p = principals.get(id)!;
        const { columns, grants } = lfColumns(p, t);
        if (!columns.size) continue;
        const blocked = !reg.ok
          ? reg.why
          : !canUseLf(p, t)
            ? `${p.label} has the grant but its IAM policies do not allow lakeformation:GetDataAccess and glue:GetTable on ${t.database}.${t.name}`
            : jobMode(p, t, columns);
        lfReadable.set(`${p.id}|${tableKey(t.database, t.name)}`, { columns, grants, ...(blocked ? { blocked } : {}) });
        if (blocked) continue;
        const c = cell(p, ref);
        const all = t.columns.every((x) => columns.has(x));
        const prev = c.read[t.name];
        if (!prev?.includes('*')) c.read[t.name] = all ? ['*'] : [...new Set([...(prev ?? []), ...columns])].sort();
        if (!c.via.includes('lake-formation')) c.via.push('lake-formation');
      }
    }
  }

  // Checks.
  // The Firehose roles of each stack: its delivery streams' roles, or a role of the stack Firehose may assume.
  const firehoseRolesOf = new Map<string, Set<string>>();
  const addFirehoseRole = (stack: string, arn: string) =>
    firehoseRolesOf.set(stack, (firehoseRolesOf.get(stack) ?? new Set<string>()).add(arn));
  for (const f of m.firehoses) if (f.roleArn) addFirehoseRole(f.stack.name, f.roleArn);
  for (const r of m.roles.values())
    if (JSON.stringify(r.trust).includes('firehose.amazonaws.com')) addFirehoseRole(r.stack.name, r.arn);
  const cellsOf = new Map<string, AccessCell[]>();
  for (const c of cells) pushTo(cellsOf, c.product, c);
  const cellsByPrincipal = new Map<string, AccessCell[]>();
  for (const c of cells) pushTo(cellsByPrincipal, c.principal, c);
  const tableOf = (ref: string, name: string) => {
    const i = products.get(ref)?.intent;
    return i ? m.tables.get(tableKey(i.databaseName, name)) : undefined;
  };
  const ownRoles = (ref: string) => {
    const { intent } = products.get(ref)!;
    const own = new Set<string>();
    const job = m.jobs.get(intent.jobName);
    if (job?.roleArn) own.add(job.roleArn);
    return own;
  };
  for (const [ref, { intent, stackName }] of products) {
    const job = m.jobs.get(intent.jobName);
    const jobRole = job?.roleArn ? principals.get(job.roleArn) : undefined;
    const at = job ?? { stack: m.assembly.byName.get(stackName)!, logicalId: '(job)' };
    // Consumers read exactly what they consume.
    for (const edge of intent.consumes) {
      const t = m.tables.get(tableKey(edge.databaseName, edge.tableName));
      const grantAt = m.grants.find((g) => g.principal === job?.roleArn && g.consumes?.product === edge.product) ?? at;
      if (!t) {
        finding(
          'VERIFY-ACCESS-CONSUMER-CANNOT-READ',
          grantAt,
          `${ref} consumes ${edge.product} (${edge.range} → ${edge.databaseName}.${edge.tableName}), but no stack of the assembly defines that table`,
          ref,
        );
        continue;
      }
      if (!jobRole) {
        finding(
          'VERIFY-ACCESS-CONSUMER-CANNOT-READ',
          at,
          `${ref} consumes ${edge.product}, but its job ${intent.jobName} has no role`,
          ref,
        );
        continue;
      }
      const lf = lfReadable.get(`${jobRole.id}|${tableKey(t.database, t.name)}`);
      const want = edge.columns ?? t.columns;
      const readable = lf && !lf.blocked ? lf.columns : new Set<string>();
      const missing = want.filter((c) => !readable.has(c));
      if (missing.length) {
        const why =
          lf?.blocked ??
          (lf
            ? 'its Lake Formation grants do not cover them'
            : `it has no Lake Formation SELECT grant on ${t.database}.${t.name}`);
        finding(
          'VERIFY-ACCESS-CONSUMER-CANNOT-READ',
          grantAt,
          `${jobRole.label} (${jobRole.id}) cannot read ${missing.join(', ')} of ${t.database}.${t.name} (${edge.product} ${edge.range}): ${why}`,
          ref,
        );
      }
      if (edge.link) {
        // Across accounts the job reads a resource link, named like the shared table, that it may describe.
        const link = m.tables.get(tableKey(edge.link.databaseName, edge.link.tableName));
        const describes = m.grants.some(
          (g) =>
            g.principal === jobRole.id &&
            g.resource.kind === 'table' &&
            g.resource.database === edge.link!.databaseName &&
            g.resource.table === edge.link!.tableName &&
            g.permissions.some((x) => x === 'DESCRIBE' || x === 'ALL'),
        );
        const why = !link
          ? `its resource link ${edge.link.databaseName}.${edge.link.tableName} is not in the assembly`
          : link.target?.name !== t.name || link.target.database !== t.database
            ? `its resource link ${edge.link.databaseName}.${edge.link.tableName} does not point at ${t.database}.${t.name}`
            : edge.link.tableName !== t.name
              ? `its resource link is named ${edge.link.tableName}, but Glue 5.0 reads a shared table only through a link of the same name (${t.name})`
              : !describes
                ? `it has no DESCRIBE grant on its resource link ${edge.link.databaseName}.${edge.link.tableName}`
                : undefined;
        if (why)
          finding(
            'VERIFY-ACCESS-CONSUMER-CANNOT-READ',
            grantAt,
            `${jobRole.label} (${jobRole.id}) cannot read ${t.database}.${t.name} (${edge.product} ${edge.range}) from the other account: ${why}`,
            ref,
          );
      }
      if (edge.columns) {
        const extra = [...readable].filter((c) => !edge.columns!.includes(c));
        if (extra.length)
          finding(
            'VERIFY-ACCESS-CONSUMER-EXCESS',
            grantAt,
            `${jobRole.label} can read ${extra.join(', ')} of ${t.database}.${t.name}, which ${ref} does not consume (consumes: ${edge.columns.join(', ')})`,
            ref,
          );
      }
    }
    // A product job reads only its own product and what it consumes.
    if (jobRole) {
      const consumed = new Set(intent.consumes.map((c) => c.product));
      for (const c of cellsByPrincipal.get(jobRole.id) ?? []) {
        if (
          c.principal !== jobRole.id ||
          c.product === ref ||
          consumed.has(c.product) ||
          !Object.keys(c.read).filter((k) => k !== RAW_ZONE).length
        )
          continue;
        finding(
          'VERIFY-ACCESS-UNDECLARED-READ',
          job!,
          `${jobRole.label} can read ${c.product} (${Object.keys(c.read).join(', ')} via ${c.via.join(' and ')}), which ${ref} does not consume`,
          ref,
        );
      }
    }
    // Only the producer's job (and its Firehose, which delivers there) reads its raw zone (landing files, quarantined rows).
    const firehoseRoles = firehoseRolesOf.get(stackName) ?? new Set<string>();
    for (const c of cellsOf.get(ref) ?? []) {
      if (c.product !== ref || !c.read[RAW_ZONE] || ownRoles(ref).has(c.principal) || firehoseRoles.has(c.principal))
        continue;
      const p = principals.get(c.principal)!;
      const b = bucketsOf(ref).find((x) => x.zone === 'raw')!;
      finding(
        'VERIFY-ACCESS-UNDECLARED-READ',
        b,
        `${p.label} can read the raw zone of ${ref} (landing files and quarantined rows, every column), which only ${ref}'s job reads`,
        ref,
      );
    }
    // Only the producer writes its zones.
    const allowedWriters = ownRoles(ref);
    for (const c of cellsOf.get(ref) ?? []) {
      if (c.product !== ref || !c.write.length || allowedWriters.has(c.principal)) continue;
      const zones = c.write.filter((z) => !(z === 'raw' && firehoseRoles.has(c.principal)));
      if (!zones.length) continue;
      const p = principals.get(c.principal)!;
      const b = bucketsOf(ref).find((x) => x.zone === zones[0])!;
      finding(
        'VERIFY-ACCESS-FOREIGN-WRITE',
        b,
        `${p.label} can write the ${zones.join(' and ')} zone of ${ref}; only ${ref}'s own job${firehoseRoles.size ? ' (and its Firehose, the raw zone)' : ''} may`,
        ref,
      );
    }
    // Restricted columns only to principals granted them.
    if (intent.restrictedColumns.length) {
      for (const name of intent.tables) {
        const t = tableOf(ref, name);
        if (!t) continue;
        const restricted = intent.restrictedColumns.filter((c) => t.columns.includes(c));
        for (const p of principals.values()) {
          const c = cellOf.get(`${p.id}\u0000${ref}`);
          if (!c || allowedWriters.has(p.id) || bucketsOf(ref).some((b) => isRegistrationFor(p.id, b.name))) continue;
          const cols = c?.read[t.name];
          if (!cols) continue;
          const exposed = restricted.filter((x) => cols.includes('*') || cols.includes(x));
          if (!exposed.length) continue;
          const lf = lfReadable.get(`${p.id}|${tableKey(t.database, t.name)}`);
          const edge = p.jobOf ? products.get(p.jobOf)?.intent.consumes.find((e) => e.product === ref) : undefined;
          const unjustified = exposed.filter((col) => {
            if (p.kind === 'everyone' || p.kind === 'account') return true;
            if (c.via.includes('s3')) return true;
            if (edge) return edge.columns !== undefined && !edge.columns.includes(col);
            return !(lf?.grants ?? []).some(
              (g) =>
                (g.resource.kind === 'table' && g.resource.columns?.includes(col)) ||
                (g.resource.kind === 'tag-policy' &&
                  g.resource.expression.some((e) => e.values.includes('restricted'))),
            );
          });
          if (unjustified.length) {
            const at2 = lf?.grants[0] ?? t;
            finding(
              'VERIFY-ACCESS-RESTRICTED-COLUMN',
              at2,
              `${p.label} can read the restricted column(s) ${unjustified.join(', ')} of ${t.database}.${t.name} without a grant naming them${c.via.includes('s3') ? ' (reads the files directly, bypassing Lake Formation)' : ''}`,
              ref,
            );
          }
        }
      }
    }
  }
  // No wildcard principal near data.
  for (const g of m.grants) {
    if (g.principal === EVERYONE || (/^\d{12}$/.test(g.principal) && !isShare(g))) {
      finding(
        'VERIFY-ACCESS-WILDCARD-PRINCIPAL',
        g,
        `Lake Formation grant to ${g.principal === EVERYONE ? 'IAM_ALLOWED_PRINCIPALS (everyone IAM allows)' : `every principal of account ${g.principal}`} on ${describe(g)}`,
      );
    }
  }
  for (const b of m.buckets.values())
    for (const s of wildcardAllows(b.policy))
      finding(
        'VERIFY-ACCESS-WILDCARD-PRINCIPAL',
        b,
        `bucket policy of ${b.name} allows ${s} to principal "*"`,
        b.product,
      );
  for (const k of m.keys.values())
    for (const s of wildcardAllows(k.policy))
      finding('VERIFY-ACCESS-WILDCARD-PRINCIPAL', k, `key policy of ${k.arn} allows ${s} to principal "*"`);

  const used = new Set(cells.map((c) => c.principal));
  return { principals: [...principals.values()].filter((p) => used.has(p.id)), cells, findings };
}

const ALLOW_ALL_LIST = [ALLOW_ALL];

/** The key of a raw-zone read in {@link AccessCell.read}. */
export const RAW_ZONE = '(raw zone)';

/** A grant to another account: a cross-account share, delegated to that account's administrator. */
const isShare = (g: LfGrant): boolean => /^\d{12}$/.test(g.principal) && g.principal !== g.stack.account;

function describe(g: LfGrant): string {
  const r = g.resource;
  if (r.kind === 'table') return `${r.database}.${r.table}${r.columns ? ` (${r.columns.join(', ')})` : ''}`;
  if (r.kind === 'tag-policy')
    return `tables tagged ${r.expression.map((e) => `${e.key}∈{${e.values.join(',')}}`).join(' and ')}`;
  return r.description;
}

const statementsOf = (doc: PolicyDocument | undefined): Array<Record<string, unknown>> => {
  const s = doc?.Statement;
  return (Array.isArray(s) ? s : s ? [s] : []).filter(
    (x): x is Record<string, unknown> => typeof x === 'object' && x !== null,
  );
};
const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** Principals (role ARNs, account ids) an Allow statement of a resource policy names. */
function namedPrincipals(doc: PolicyDocument | undefined): string[] {
  const out: string[] = [];
  for (const s of statementsOf(doc)) {
    if (s.Effect !== 'Allow') continue;
    const p = s.Principal;
    const aws = typeof p === 'object' && p !== null ? listOf((p as Record<string, unknown>).AWS) : [];
    for (const a of aws) {
      if (typeof a !== 'string' || a === '*') continue;
      const root = /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(a);
      out.push(root ? root[1]! : a);
    }
  }
  return out;
}

/** Allow statements of a resource policy whose principal is everyone, described. */
function wildcardAllows(doc: PolicyDocument | undefined): string[] {
  const out: string[] = [];
  for (const s of statementsOf(doc)) {
    if (s.Effect !== 'Allow') continue;
    const p = s.Principal;
    const everyone =
      p === '*' || (typeof p === 'object' && p !== null && listOf((p as Record<string, unknown>).AWS).includes('*'));
    if (everyone)
      out.push(`${listOf(s.Action).map(String).join(', ') || 'actions'}${s.Sid ? ` (Sid ${String(s.Sid)})` : ''}`);
  }
  return out;
}

/**
 * Which buckets each principal's identity policies may reach with S3 actions: by bucket name,
 * or `any` (a wildcard bucket, `*`, NotResource, NotAction or an unresolved value).
 */
function s3Index(principals: Map<string, PrincipalInfo>): { byBucket: Map<string, Set<string>>; any: Set<string> } {
  const byBucket = new Map<string, Set<string>>();
  const any = new Set<string>();
  for (const p of principals.values()) {
    if (!p.role) {
      any.add(p.id);
      continue;
    }
    for (const doc of p.role.policies) {
      for (const s of statementsOf(doc)) {
        if (s.Effect === 'Deny') continue;
        const actions = listOf(s.Action);
        const s3 =
          s.NotAction !== undefined ||
          actions.some(
            (a) => typeof a !== 'string' || a === '*' || /^s3:/i.test(a) || /^\*:/.test(a) || /^s\*/i.test(a),
          );
        if (!s3) continue;
        if (s.NotResource !== undefined) {
          any.add(p.id);
          continue;
        }
        for (const r of listOf(s.Resource)) {
          const m = typeof r === 'string' ? /^arn:aws[a-z-]*:s3:::([^/]*)/.exec(r) : null;
          if (
            typeof r !== 'string' ||
            r === '*' ||
            (m && /[*?]/.test(m[1]!)) ||
            (!m && /^arn:aws[a-z-]*:s3/.test(r) === false && /[*?]/.test(r.split(':')[2] ?? '*'))
          ) {
            any.add(p.id);
            continue;
          }
          if (m) {
            const set = byBucket.get(m[1]!) ?? new Set<string>();
            set.add(p.id);
            byBucket.set(m[1]!, set);
          }
        }
      }
    }
  }
  return { byBucket, any };
}

/** The effective LF-tags of a column: its own, else its table's, else its database's (per key). */
function lfTags(m: MeshModel): (t: TableModel, column: string) => Record<string, string> {
  const db = new Map<string, Record<string, string[]>>();
  const tbl = new Map<string, Record<string, string[]>>();
  const col = new Map<string, Record<string, string[]>>();
  const merge = (map: Map<string, Record<string, string[]>>, k: string, tags: Record<string, string[]>) =>
    map.set(k, { ...(map.get(k) ?? {}), ...tags });
  for (const a of m.tagAssociations) {
    if (a.columns) for (const c of a.columns) merge(col, `${a.database}.${a.table}.${c}`, a.tags);
    else if (a.table) merge(tbl, `${a.database}.${a.table}`, a.tags);
    else merge(db, a.database, a.tags);
  }
  return (t, column) => {
    const out: Record<string, string> = {};
    for (const layer of [
      db.get(t.database),
      tbl.get(`${t.database}.${t.name}`),
      col.get(`${t.database}.${t.name}.${column}`),
    ]) {
      for (const [k, v] of Object.entries(layer ?? {})) if (v[0] !== undefined) out[k] = v[0];
    }
    return out;
  };
}

// Lake Formation reads of the access analysis: which grants a principal holds, which columns of a
// table they cover, and whether Lake Formation would vend credentials for them.
import { pushTo, type LfGrant, type LfLocation, type TableModel } from '../model.js';
import type { AccessContext } from './access-context.js';
import { trustsLakeFormation } from './access-context.js';
import { ACCOUNT_OF, EVERYONE, bucketOfArn, isShare, lfTags } from './access-policy.js';
import type { PrincipalInfo } from './access-types.js';

/** The grants of the assembly as the principals read through them. */
export class LakeFormationReads {
  /** Principal id → the SELECT grants it holds: its own, its account's, and everyone's. */
  readonly readGrants = new Map<string, LfGrant[]>();
  private readonly grantsByPrincipal = new Map<string, LfGrant[]>();
  private readonly locationsByBucket = new Map<string, LfLocation[]>();
  private readonly tagsOf: (t: TableModel, column: string) => Record<string, string>;

  constructor(private readonly ctx: AccessContext) {
    const m = ctx.m;
    this.tagsOf = lfTags(m);
    for (const g of m.grants) pushTo(this.grantsByPrincipal, g.principal, g);
    // A grant to another account is a share (cross-account): that account's administrator grants its
    // own principals, within what was shared with the grant option; nobody reads through the share itself.
    for (const p of ctx.principals.values()) {
      const acct = p.kind === 'account' ? p.id : ACCOUNT_OF.exec(p.id)?.[1];
      const all = [
        ...(this.grantsByPrincipal.get(p.id) ?? []),
        ...(acct && acct !== p.id ? (this.grantsByPrincipal.get(acct) ?? []) : []),
        ...(p.id !== EVERYONE ? (this.grantsByPrincipal.get(EVERYONE) ?? []) : []),
      ].filter((g) => !isShare(g) && g.permissions.some((x) => x === 'SELECT' || x === 'ALL'));
      if (all.length) this.readGrants.set(p.id, all);
    }
    for (const l of m.locations) {
      const n = bucketOfArn(l.resourceArn);
      if (n) pushTo(this.locationsByBucket, n, l);
    }
  }

  /** Whether Lake Formation vends credentials for the table's location, and why not. */
  registered(t: TableModel): { ok: boolean; why?: string } {
    const loc = t.location;
    if (!loc) return { ok: false, why: `table ${t.database}.${t.name} has no location` };
    const bucketName = /^s3:\/\/([^/]+)/.exec(loc)?.[1];
    const reg = (bucketName ? (this.locationsByBucket.get(bucketName) ?? []) : []).find((l) =>
      loc.startsWith(`s3://${l.resourceArn.replace(/^arn:aws[a-z-]*:s3:::/, '')}`),
    );
    if (!reg)
      return {
        ok: false,
        why: `its location ${loc} is not registered with Lake Formation (no AWS::LakeFormation::Resource for the bucket), so Lake Formation vends no credentials for it`,
      };
    if (reg.serviceLinkedRole || !reg.roleArn) return { ok: true };
    const m = this.ctx.m;
    if (m.roles.has(reg.roleArn) && !trustsLakeFormation(m.roles.get(reg.roleArn))) {
      return {
        ok: false,
        why: `the role registering ${loc} with Lake Formation (${reg.stack.name}/${reg.logicalId}) does not trust lakeformation.amazonaws.com, so Lake Formation cannot assume it to vend credentials`,
      };
    }
    const role = this.ctx.principals.get(reg.roleArn);
    const bucket = bucketName ? m.buckets.get(bucketName) : undefined;
    if (!role || !bucket) return { ok: true };
    const prefix = loc.slice(`s3://${bucket.name}/`.length);
    return this.ctx.s3Can(role, bucket, 's3:GetObject', `${prefix}part-00000.parquet`)
      ? { ok: true }
      : {
          ok: false,
          why: `the role registering ${loc} with Lake Formation (${reg.stack.name}/${reg.logicalId}) cannot read it (S3 or the bucket's KMS key)`,
        };
  }

  /** The columns of `t` the principal's grants cover, and the grants that cover any. */
  columns(p: PrincipalInfo, t: TableModel): { columns: Set<string>; grants: LfGrant[] } {
    const columns = new Set<string>();
    const grants: LfGrant[] = [];
    for (const g of this.readGrants.get(p.id) ?? []) {
      const got = this.grantedColumns(g, t);
      if (got.length) {
        grants.push(g);
        for (const c of got) columns.add(c);
      }
    }
    return { columns, grants };
  }

  /**
   * Why a product's Glue 5.0 job cannot read its grant in the mode it runs in, if it cannot:
   * column-limited grants need fine-grained access control (`--enable-lakeformation-fine-grained-access`),
   * whole-table grants without it need Full Table Access allowed in the table's account.
   */
  jobMode(p: PrincipalInfo, t: TableModel, columns: Set<string>): string | undefined {
    if (!p.jobOf) return undefined;
    const m = this.ctx.m;
    const job = m.jobs.get(this.ctx.products.get(p.jobOf)!.intent.jobName);
    if (job?.args['--enable-lakeformation-fine-grained-access'] === 'true') return undefined;
    if (!t.columns.every((c) => columns.has(c)))
      return `${p.label} is granted only some columns of ${t.database}.${t.name}, which a Glue 5.0 job reads only with fine-grained access control (--enable-lakeformation-fine-grained-access), which its job ${job?.name ?? '?'} does not enable`;
    const settings = m.lakeSettings.get(t.stack.account);
    if (settings && !settings.fullTableAccess)
      return `${p.label} reads ${t.database}.${t.name} whole, in Full Table Access mode, which the Lake Formation settings of account ${t.stack.account} do not allow (AllowFullTableExternalDataAccess)`;
    return undefined;
  }

  /** Whether the principal's IAM policies let it ask Lake Formation for the table's data. */
  canUse(p: PrincipalInfo, t: TableModel): boolean {
    if (!p.role) return true; // outside the assembly: assumed (their account's IAM)
    // Only the caller's identity policies decide here: across accounts, the catalog's side is the
    // Lake Formation share (AWS RAM), not a resource policy.
    const opts = { account: p.role.stack.account, region: t.stack.region };
    const table = `arn:aws:glue:${t.stack.region}:${t.stack.account}:table/${t.database}/${t.name}`;
    return (
      this.ctx.decide(p, 'lakeformation:GetDataAccess', '*', p.role, undefined, opts) === 'allow' &&
      this.ctx.decide(p, 'glue:GetTable', table, p.role, undefined, opts) === 'allow'
    );
  }

  /** The columns of `t` one grant covers. */
  private grantedColumns(g: LfGrant, t: TableModel): string[] {
    const r = g.resource;
    if (
      r.kind === 'table' &&
      r.catalog === t.stack.account &&
      r.database === t.database &&
      (r.table === '*' || r.table === t.name)
    ) {
      const got = r.columns ?? t.columns.filter((c) => !(r.excluded ?? []).includes(c));
      // Granted in another account's catalog: only what the table's account shared with it.
      if (g.stack.account === t.stack.account) return got;
      const shared = this.shared(t, g.stack.account);
      return got.filter((c) => shared.has(c));
    }
    if (r.kind === 'tag-policy' && r.resourceType === 'TABLE' && r.catalog === t.stack.account)
      return t.columns.filter((c) =>
        r.expression.every((e) => e.values.includes(this.tagsOf(t, c)[e.key] ?? '\u0000')),
      );
    return [];
  }

  /** Columns of `t` its account shared with `account` with the grant option. */
  private shared(t: TableModel, account: string): Set<string> {
    const out = new Set<string>();
    for (const g of this.grantsByPrincipal.get(account) ?? []) {
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
  }
}

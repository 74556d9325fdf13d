// The access matrix: what each principal can read and write of each product, through S3 and
// through Lake Formation.
import type { ProductIntent } from '@meshkit/contracts';
import { tableKey, type BucketModel, type LfGrant, type TableModel } from '../model.js';
import type { AccessContext } from './access-context.js';
import type { LakeFormationReads } from './access-lf.js';
import { RAW_ZONE, type AccessCell, type PrincipalInfo } from './access-types.js';

/** What a principal reads of a table through Lake Formation, and why it cannot if it cannot. */
export interface LfReadable {
  columns: Set<string>;
  grants: LfGrant[];
  blocked?: string;
}

/** Principals × products, filled by {@link fillMatrix}. */
export class AccessMatrix {
  readonly cells: AccessCell[] = [];
  /** `principal|database.table` → its Lake Formation read of the table. */
  readonly lfReadable = new Map<string, LfReadable>();
  private readonly cellOf = new Map<string, AccessCell>();

  /** The cell of a principal and product, made empty when missing. */
  cell(p: PrincipalInfo, product: string): AccessCell {
    const k = `${p.id}\u0000${product}`;
    let c = this.cellOf.get(k);
    if (!c) {
      c = { principal: p.id, product, read: {}, via: [], write: [] };
      this.cellOf.set(k, c);
      this.cells.push(c);
    }
    return c;
  }

  /** The cell of a principal and product, if it has one. */
  existing(principal: string, product: string): AccessCell | undefined {
    return this.cellOf.get(`${principal}\u0000${product}`);
  }
}

/** Computes the matrix of every product. */
export function fillMatrix(ctx: AccessContext, lf: LakeFormationReads): AccessMatrix {
  const matrix = new AccessMatrix();
  for (const [ref, { intent }] of ctx.products) {
    const tables = intent.tables
      .map((n) => ctx.m.tables.get(tableKey(intent.databaseName, n)))
      .filter((t): t is TableModel => t !== undefined);
    for (const b of ctx.bucketsOf(ref)) s3Access(ctx, matrix, { ref, intent, tables }, b);
    for (const t of tables) lfAccess(ctx, lf, matrix, ref, t);
  }
  return matrix;
}

/** S3: reads of each table's data, writes of each zone. */
function s3Access(
  ctx: AccessContext,
  matrix: AccessMatrix,
  { ref, intent, tables }: { ref: string; intent: ProductIntent; tables: TableModel[] },
  b: BucketModel,
): void {
  for (const p of ctx.candidates(b)) {
    if (ctx.isRegistrationFor(p.id, b.name)) continue;
    const read = (table: string) => {
      const c = matrix.cell(p, ref);
      c.read[table] = ['*'];
      if (!c.via.includes('s3')) c.via.push('s3');
    };
    if (b.zone === 'curated') {
      for (const t of tables) {
        const prefix = t.location?.startsWith(`s3://${b.name}/`)
          ? t.location.slice(`s3://${b.name}/`.length)
          : `${t.name}/`;
        if (ctx.s3Can(p, b, 's3:GetObject', `${prefix}part-00000.parquet`)) read(t.name);
      }
    }
    const keys =
      b.zone === 'raw' ? [`${intent.rawPrefix}x`, 'tmp/x', 'quarantine/x'] : tables.map((t) => `${t.name}/x`);
    // The raw zone holds the landing files and quarantined rows: every column, unchecked.
    if (b.zone === 'raw' && keys.some((k) => ctx.s3Can(p, b, 's3:GetObject', k))) read(RAW_ZONE);
    // Writing is putting or deleting objects, or replacing the bucket policy (which grants the rest).
    if (
      keys.some((k) => ctx.s3Can(p, b, 's3:PutObject', k) || ctx.s3Can(p, b, 's3:DeleteObject', k)) ||
      ctx.s3Can(p, b, 's3:PutBucketPolicy', '')
    ) {
      const c = matrix.cell(p, ref);
      if (!c.write.includes(b.zone!)) c.write.push(b.zone!);
    }
  }
}

/** Lake Formation: reads through grants, where the location is registered and IAM lets the principal ask. */
function lfAccess(ctx: AccessContext, lf: LakeFormationReads, matrix: AccessMatrix, ref: string, t: TableModel): void {
  const reg = lf.registered(t);
  for (const id of lf.readGrants.keys()) {
    const p = ctx.principals.get(id)!;
    const { columns, grants } = lf.columns(p, t);
    if (!columns.size) continue;
    const blocked = !reg.ok
      ? reg.why
      : !lf.canUse(p, t)
        ? `${p.label} has the grant but its IAM policies do not allow lakeformation:GetDataAccess and glue:GetTable on ${t.database}.${t.name}`
        : lf.jobMode(p, t, columns);
    matrix.lfReadable.set(`${p.id}|${tableKey(t.database, t.name)}`, {
      columns,
      grants,
      ...(blocked ? { blocked } : {}),
    });
    if (blocked) continue;
    const c = matrix.cell(p, ref);
    const all = t.columns.every((x) => columns.has(x));
    const prev = c.read[t.name];
    if (!prev?.includes('*')) c.read[t.name] = all ? ['*'] : [...new Set([...(prev ?? []), ...columns])].sort();
    if (!c.via.includes('lake-formation')) c.via.push('lake-formation');
  }
}

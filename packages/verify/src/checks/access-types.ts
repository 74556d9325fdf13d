import type { VerifyFinding } from '../finding.js';
import type { RoleModel } from '../model.js';

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

/** The key of a raw-zone read in {@link AccessCell.read}. */
export const RAW_ZONE = '(raw zone)';

import {
  compileCheckPlan,
  describeThreshold,
  type DatasetScan,
  type OdcsContract,
  type PlanDatasetRule,
  type PlanRowRule,
  type QualityCheck,
} from '@meshkit/contracts';
import { quoteIdent, quoteString } from './types.js';

/** A row-level rule the runtime evaluates: a rule of the check plan, or a column's `castable` pseudo-rule. Rows failing it go to quarantine. */
export interface RowRule extends Omit<PlanRowRule, 'kind'> {
  kind: PlanRowRule['kind'] | 'castable';
}

/** A dataset-level rule: a SELECT returning `value` and `passed` (the check plan's). */
export type DatasetRule = PlanDatasetRule;

/** The quality plan of one run, compiled from the contract through the shared IR. */
export interface QualityPlan {
  checks: QualityCheck[];
  rowRules: RowRule[];
  datasetRules: DatasetRule[];
  /** The dataset rules computed together in one scan of the checked rows (the others run their own query). */
  scan: DatasetScan | undefined;
  skipped: Array<{ id: string; reason: string }>;
}

/**
 * Compiles a contract's quality checks (`compileQuality`, the IR the DQDL of the Glue job is also
 * compiled from) once into the runtime's plan over `table` ({@link compileCheckPlan}): the check
 * plan of the DuckDB dialect (the Glue job's PySpark core runs the same plan in the Spark
 * dialect), with the dataset rules that are aggregates over the checked rows also as one scan. Freshness is
 * evaluated as of `now` (the run's evaluation instant) instead of the wall clock, so a run is
 * reproducible.
 */
export function qualityPlan(contract: OdcsContract, table: string, now: Date, object?: string): QualityPlan {
  const { checks, plan, scan } = compileCheckPlan(contract, {
    dialect: 'duckdb',
    table,
    now,
    ...(object === undefined ? {} : { object }),
  });
  return {
    checks,
    rowRules: plan.rowRules,
    datasetRules: plan.datasetRules,
    scan,
    skipped: plan.skipped.map((s) => ({ id: s.id, reason: s.reason })),
  };
}

export { describeThreshold };

/** The pseudo-rule of a column whose value cannot be cast to the contract's type (`<column>.castable`). */
export function castRule(column: string, originalColumn: string, duckType: string): RowRule {
  const orig = quoteIdent(originalColumn);
  return {
    id: `${column}.castable`,
    kind: 'castable',
    severity: 'error',
    columns: [column],
    passSql: `NOT (${orig} IS NOT NULL AND ${quoteIdent(column)} IS NULL)`,
    reasonSql: `${quoteString(`${column}.castable: ${column} = `)} || coalesce('''' || left(CAST(${orig} AS VARCHAR), 80) || '''', 'NULL') || ${quoteString(` cannot be cast to ${duckType}`)}`,
  };
}

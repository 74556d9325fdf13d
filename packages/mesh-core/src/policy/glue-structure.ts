/**
 * Glue structure of a template: product output tables, the data-quality rulesets targeting them
 * and the jobs that receive a ruleset (convention: job argument `--dq-ruleset-name`).
 */
import { asArray, isObject, jsonEqual, path, referencedId } from './refs.js';
import type { CfnResourceView } from './rule.js';
import type { TemplateContext } from './template-context.js';

export const GLUE_TABLE = 'AWS::Glue::Table';
export const GLUE_RULESET = 'AWS::Glue::DataQualityRuleset';

/** Table parameter that marks a product's output table (written by DataProduct). */
export const CONTRACT_ID_PARAMETER = 'meshkit:contract-id';
/**
 * Table parameter declaring a staging table of the product (value: why the table needs no
 * ruleset of its own, at least 10 characters): written by `markStagingTable` (and by
 * ProductStreamIngestion on its raw table). Listed in the policy report.
 */
export const STAGING_PARAMETER = 'meshkit:staging';
/** Minimum length of a staging declaration's reason. */
export const MIN_STAGING_REASON_LENGTH = 10;

/** A resource link: a `TargetTable` and no storage (it points at a table shared by another account, holds no data). */
export function isResourceLink(table: CfnResourceView): boolean {
  const input = table.properties.TableInput;
  return path(input, 'TargetTable') !== undefined && path(input, 'StorageDescriptor') === undefined;
}

/** The `meshkit:staging` parameter of a table (its reason), as written; `undefined` when absent. */
export const stagingDeclaration = (table: CfnResourceView): unknown =>
  path(table.properties.TableInput, 'Parameters', STAGING_PARAMETER);

/** A staging table of the template, as the policy report lists it. */
export interface StagingTableRecord {
  readonly logicalId: string;
  readonly constructPath: string;
  /** `TableInput.Name` when literal. */
  readonly tableName?: string;
  /** The declared reason. */
  readonly reason: string;
}

/** The tables of a template declared staging with a valid reason (product tables never are). */
export function stagingTablesOf(ctx: TemplateContext): StagingTableRecord[] {
  const out: StagingTableRecord[] = [];
  for (const t of ctx.ofType(GLUE_TABLE)) {
    const reason = stagingDeclaration(t);
    if (
      typeof reason !== 'string' ||
      reason.trim().length < MIN_STAGING_REASON_LENGTH ||
      isProductTable(t) ||
      isResourceLink(t)
    )
      continue;
    const name = path(t.properties.TableInput, 'Name');
    out.push({
      logicalId: t.logicalId,
      constructPath: ctx.constructPath(t),
      ...(typeof name === 'string' ? { tableName: name } : {}),
      reason: reason.trim(),
    });
  }
  return out;
}

/** Job argument naming the DQ ruleset the job evaluates (written by DataProduct). */
export const DQ_RULESET_ARGUMENT = '--dq-ruleset-name';

/**
 * A product output table: its `TableInput.Parameters` carry `meshkit:contract-id`, or its name
 * follows the output-port convention `<product>_v<major>`.
 */
export function isProductTable(table: CfnResourceView): boolean {
  const input = table.properties.TableInput;
  // A resource link points at a table shared by another account and holds no data of its own.
  if (isResourceLink(table)) return false;
  if (path(input, 'Parameters', CONTRACT_ID_PARAMETER) !== undefined) return true;
  const name = path(input, 'Name');
  return typeof name === 'string' && /_v\d+$/.test(name);
}

/** A comparable key for a database/table name value: literal names resolved through `Ref`. */
function nameKey(v: unknown, ctx: TemplateContext): string {
  if (typeof v === 'string') return `s:${v}`;
  const id = referencedId(v);
  if (id !== undefined && isObject(v) && 'Ref' in v) {
    const r = ctx.get(id);
    if (r?.type === 'AWS::Glue::Database') {
      const n = path(r.properties, 'DatabaseInput', 'Name');
      if (typeof n === 'string') return `s:${n}`;
    } else if (r?.type === GLUE_TABLE) {
      const n = path(r.properties, 'TableInput', 'Name');
      if (typeof n === 'string') return `s:${n}`;
      return `ref:${id}`;
    }
  }
  return `j:${JSON.stringify(v)}`;
}

interface RulesetIndex {
  readonly byTarget: Map<string, CfnResourceView[]>;
}

const targetKey = (db: string, table: string) => `${db}\u0000${table}`;

/** Rulesets whose `TargetTable` is this table (database and table name match). */
export function rulesetsFor(table: CfnResourceView, ctx: TemplateContext): readonly CfnResourceView[] {
  const index = ctx.memo<RulesetIndex>('glue:rulesets', (c) => {
    const byTarget = new Map<string, CfnResourceView[]>();
    for (const rs of c.ofType(GLUE_RULESET)) {
      const t = rs.properties.TargetTable;
      if (!isObject(t)) continue;
      const k = targetKey(nameKey(t.DatabaseName, c), nameKey(t.TableName, c));
      let list = byTarget.get(k);
      if (!list) byTarget.set(k, (list = []));
      list.push(rs);
    }
    return { byTarget };
  });
  const db = nameKey(table.properties.DatabaseName, ctx);
  const name = nameKey(path(table.properties, 'TableInput', 'Name'), ctx);
  const found = index.byTarget.get(targetKey(db, name)) ?? [];
  const byRef = index.byTarget.get(targetKey(db, `ref:${table.logicalId}`)) ?? [];
  return byRef.length === 0 ? found : [...found, ...byRef];
}

/**
 * Job argument listing the older majors a product job derives and checks (a JSON list of
 * `{major, table, ruleset, path, quarantine, sql}`, see `ProductGlueJob` `servedMajors`).
 */
export const SERVED_MAJORS_ARGUMENT = '--served-majors';

/** The `ruleset` names in a `--served-majors` value (JSON text, or an Fn::Join of it around bucket tokens). */
function servedRulesets(v: unknown): string[] {
  const flat = (x: unknown): string => {
    if (typeof x === 'string') return x;
    const join = x !== null && typeof x === 'object' ? (x as Record<string, unknown>)['Fn::Join'] : undefined;
    if (!Array.isArray(join) || !Array.isArray(join[1])) return '\u0000';
    return (join[1] as unknown[]).map(flat).join(typeof join[0] === 'string' ? join[0] : '');
  };
  return [...flat(v).matchAll(/"ruleset":"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
}

/** Values given to `--dq-ruleset-name` (and the rulesets of `--served-majors`) by the template's Glue jobs and triggers (indexed once). */
function rulesetArguments(ctx: TemplateContext): readonly unknown[] {
  return ctx.memo('glue:dq-arguments', (c) => {
    const out: unknown[] = [];
    for (const job of c.ofType('AWS::Glue::Job')) {
      const v = path(job.properties, 'DefaultArguments', DQ_RULESET_ARGUMENT);
      if (v !== undefined) out.push(v);
      const served = path(job.properties, 'DefaultArguments', SERVED_MAJORS_ARGUMENT);
      if (served !== undefined) out.push(...servedRulesets(served));
    }
    for (const trigger of c.ofType('AWS::Glue::Trigger')) {
      for (const action of asArray(trigger.properties.Actions)) {
        const v = path(action, 'Arguments', DQ_RULESET_ARGUMENT);
        if (v !== undefined) out.push(v);
      }
    }
    return out;
  });
}

/** True when a Glue job (or trigger) of the template passes this ruleset as `--dq-ruleset-name` (or in `--served-majors`). */
export function isRulesetPassedToJob(ruleset: CfnResourceView, ctx: TemplateContext): boolean {
  const name = ruleset.properties.Name;
  return rulesetArguments(ctx).some(
    (v) => (name !== undefined && jsonEqual(v, name)) || referencedId(v) === ruleset.logicalId,
  );
}

/**
 * The freshness check of the quality IR, from the contract's SLA: a `latency` or `freshness`
 * entry whose `element` (or `slaDefaultElement`) names a date or timestamp column of the object.
 */
import type { Path } from '../load/source.js';
import type { OdcsContract, SchemaProperty, SlaProperty } from '../odcs.js';
import { readSlaValue } from '../diff/sla.js';
import { ZERO, type Draft } from './quality-ir.js';
import { columnName, normaliseSeverity } from './schema-object.js';
import { effectiveLogicalType } from './types.js';

/**
 * A freshness SLA that cannot be checked as written (no such column, no positive duration, a
 * column that is not a date or timestamp): a skipped check flagged as a mistake, with the reason.
 */
function skipped(columns: string[], severity: Draft['severity'], source: Path, reason: string): Draft {
  return {
    kind: 'skipped',
    columns,
    severity,
    rowLevel: false,
    threshold: ZERO,
    unit: 'hours',
    source,
    reason,
    mistake: true,
  };
}

/**
 * The freshness check of one SLA entry for the object `objectName` (`physicalName`), or undefined
 * when the entry is no freshness SLA or is about another object of the contract.
 */
export function freshnessCheck(
  contract: OdcsContract,
  sla: SlaProperty,
  source: Path,
  props: SchemaProperty[],
  objectName: string,
  physicalName?: string,
): Draft | undefined {
  if (!/^(latency|freshness)$/i.test(sla.property)) return undefined;
  const element = typeof sla.element === 'string' ? sla.element : contract.slaDefaultElement;
  if (typeof element !== 'string') return undefined;
  const dot = element.lastIndexOf('.');
  const owner = dot >= 0 ? element.slice(0, dot) : undefined;
  const colName = element.slice(dot + 1);
  const objects = contract.schema ?? [];
  const names = (n: string | undefined) => n?.toLowerCase();
  const ownerIsThisObject =
    owner === undefined || names(owner) === names(objectName) || names(owner) === names(physicalName);
  // An element that names another object of the contract is that object's business.
  if (
    !ownerIsThisObject &&
    objects.some((o) => names(o.name) === names(owner) || names(o.physicalName) === names(owner))
  )
    return undefined;
  const prop = props.find((p) => names(p.name) === names(colName) || names(p.physicalName) === names(colName));
  const severity = normaliseSeverity(sla.severity);
  if (!prop) {
    if (!ownerIsThisObject) return undefined;
    return skipped([], severity, source, `SLA ${sla.property} element '${element}' names no column of ${objectName}`);
  }
  const column = columnName(prop);
  // Read as the diff reads it (number + unit, 25h, PT15M, …); a bare number without a unit is days.
  const read = readSlaValue(sla);
  const hours =
    read.kind === 'duration'
      ? read.ms / 3_600_000
      : read.kind === 'number' && read.unit === ''
        ? read.value * 24
        : Number.NaN;
  if (!(hours > 0))
    return skipped(
      [column],
      severity,
      source,
      `SLA ${sla.property} needs a positive duration (a number with a unit such as d, h or m; 25h; PT15M)`,
    );
  if (!['date', 'timestamp'].includes(effectiveLogicalType(prop) ?? ''))
    return skipped(
      [column],
      severity,
      source,
      `SLA ${sla.property} element '${element}' is not a date or timestamp column`,
    );
  return {
    ...(typeof sla.id === 'string' ? { id: sla.id } : {}),
    kind: 'freshness',
    columns: [column],
    severity,
    rowLevel: false,
    threshold: { op: '<=', value: hours },
    unit: 'hours',
    maxAgeHours: hours,
    source,
  };
}

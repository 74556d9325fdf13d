/**
 * The compatibility rule table, as data: every rule id of
 * `contract-compatibility.md`, which directions it breaks, its bump class when it breaks nothing
 * the mode checks, and what triggers it. Rule ids are stable API (suppressions and CI annotations
 * refer to them).
 */

/** Which reader a change can break (see {@link ChangeRule}). */
export interface Breaks {
  /** The new contract cannot read data written under the old one (tightening). */
  backward: boolean;
  /** Consumers on the old contract cannot read data written under the new one (relaxing, removing, widening). */
  forward: boolean;
}

/**
 * Bump class of a change that breaks nothing the mode checks: `minor` for additions of data or
 * guarantees (SCHEMA_OBJECT_ADDED, PROPERTY_ADDED_OPTIONAL, QUALITY_ADDED, SLA_STRENGTHENED),
 * `patch` for everything descriptive. A change that breaks a direction the mode does not check
 * is always at least `minor`.
 */
export type BumpClass = 'minor' | 'patch';

/** One row of the rule table. */
export interface ChangeRule {
  breaks: Breaks;
  bump: BumpClass;
  /** What triggers the rule, in one line. */
  description: string;
}

const r = (backward: boolean, forward: boolean, bump: BumpClass, description: string): ChangeRule => ({
  breaks: { backward, forward },
  bump,
  description,
});

/** The rule table, keyed by rule id (order as in the specification). */
export const CHANGE_RULES = {
  SCHEMA_OBJECT_REMOVED: r(false, true, 'patch', 'a schema object was removed'),
  SCHEMA_OBJECT_ADDED: r(false, false, 'minor', 'a schema object was added'),
  PROPERTY_REMOVED: r(false, true, 'patch', 'a property (column) was removed'),
  SCHEMA_OBJECT_RENAMED: r(true, true, 'patch', 'a schema object kept its id but changed its name or physicalName'),
  PROPERTY_RENAMED: r(true, true, 'patch', 'a property kept its id but changed its name, or changed its physicalName'),
  PROPERTY_ADDED_OPTIONAL: r(false, false, 'minor', 'a property was added with required false or absent'),
  PROPERTY_ADDED_REQUIRED: r(true, false, 'patch', 'a property was added with required: true'),
  REQUIRED_ADDED: r(true, false, 'patch', 'required changed from false to true'),
  REQUIRED_REMOVED: r(false, true, 'patch', 'required changed from true to false'),
  TYPE_CHANGED: r(true, true, 'patch', 'logicalType changed between incompatible types'),
  TYPE_WIDENED: r(false, true, 'patch', 'the new type holds every value of the old type'),
  TYPE_NARROWED: r(true, false, 'patch', 'the old type holds every value of the new type'),
  PHYSICAL_TYPE_CHANGED: r(true, true, 'patch', 'physicalType changed with no known widening relation'),
  FORMAT_CHANGED: r(true, true, 'patch', 'logicalTypeOptions.format, timezone or defaultTimezone changed'),
  FORMAT_ADDED: r(true, false, 'patch', 'logicalTypeOptions.format was added'),
  FORMAT_REMOVED: r(false, true, 'patch', 'logicalTypeOptions.format was removed'),
  PATTERN_ADDED: r(true, false, 'patch', 'logicalTypeOptions.pattern was added'),
  PATTERN_REMOVED: r(false, true, 'patch', 'logicalTypeOptions.pattern was removed'),
  PATTERN_CHANGED: r(true, true, 'patch', 'logicalTypeOptions.pattern changed'),
  RANGE_TIGHTENED: r(
    true,
    false,
    'patch',
    'a lower bound raised, an upper bound lowered, a bound added, or multipleOf added or changed',
  ),
  RANGE_RELAXED: r(false, true, 'patch', 'a lower bound lowered, an upper bound raised, or a bound removed'),
  ENUM_VALUE_REMOVED: r(true, false, 'patch', 'an allowed value was removed (or an allowed-values rule appeared)'),
  ENUM_VALUE_ADDED: r(false, true, 'patch', 'an allowed value was added (or the allowed-values rule went)'),
  UNIQUE_ADDED: r(true, false, 'patch', 'unique changed from false to true'),
  UNIQUE_REMOVED: r(false, true, 'patch', 'unique changed from true to false'),
  PRIMARY_KEY_CHANGED: r(true, true, 'patch', 'primary key membership or primaryKeyPosition changed'),
  PARTITIONING_CHANGED: r(false, true, 'patch', 'partitioned or partitionKeyPosition changed'),
  CLASSIFICATION_CHANGED: r(false, false, 'patch', 'a property or object classification changed (policy review)'),
  QUALITY_ADDED: r(false, false, 'minor', 'a quality rule was added or made stricter'),
  QUALITY_REMOVED: r(false, true, 'patch', 'a quality rule was removed or loosened'),
  SLA_WEAKENED: r(false, true, 'patch', 'an SLA entry was removed or weakened'),
  SLA_STRENGTHENED: r(false, false, 'minor', 'an SLA entry was added or strengthened'),
  SERVER_CHANGED: r(false, true, 'patch', 'a server was removed, or its type or data location changed'),
  STATUS_CHANGED: r(false, false, 'patch', 'the contract status changed'),
  METADATA_CHANGED: r(false, false, 'patch', 'a descriptive field changed'),
  ID_CHANGED: r(true, true, 'patch', "the contract's own id changed"),
  COMPATIBILITY_MODE_CHANGED: r(
    true,
    true,
    'patch',
    'meshkit.compatibility was weakened (strengthening breaks nothing)',
  ),
} as const satisfies Record<string, ChangeRule>;

/** A compatibility rule id. */
export type ChangeRuleId = keyof typeof CHANGE_RULES;

/** Every rule id, in table order. */
export const CHANGE_RULE_IDS = Object.keys(CHANGE_RULES) as ChangeRuleId[];

/**
 * The rule that reports the reverse change (b→a) of a change reported by `rule` (a→b), e.g.
 * PROPERTY_ADDED_REQUIRED ↔ PROPERTY_REMOVED, TYPE_NARROWED ↔ TYPE_WIDENED. Symmetric rules
 * (renames, TYPE_CHANGED, …) are their own pair. Two rules have no reliable pair and are absent:
 * COMPATIBILITY_MODE_CHANGED (weakening one way is strengthening the other) and RANGE_TIGHTENED
 * from a changed `multipleOf` (a change either way is a tightening).
 */
export const REVERSE_RULE: Partial<Record<ChangeRuleId, ChangeRuleId>> = {
  SCHEMA_OBJECT_REMOVED: 'SCHEMA_OBJECT_ADDED',
  SCHEMA_OBJECT_ADDED: 'SCHEMA_OBJECT_REMOVED',
  PROPERTY_REMOVED: 'PROPERTY_ADDED_OPTIONAL',
  SCHEMA_OBJECT_RENAMED: 'SCHEMA_OBJECT_RENAMED',
  PROPERTY_RENAMED: 'PROPERTY_RENAMED',
  PROPERTY_ADDED_OPTIONAL: 'PROPERTY_REMOVED',
  PROPERTY_ADDED_REQUIRED: 'PROPERTY_REMOVED',
  REQUIRED_ADDED: 'REQUIRED_REMOVED',
  REQUIRED_REMOVED: 'REQUIRED_ADDED',
  TYPE_CHANGED: 'TYPE_CHANGED',
  TYPE_WIDENED: 'TYPE_NARROWED',
  TYPE_NARROWED: 'TYPE_WIDENED',
  PHYSICAL_TYPE_CHANGED: 'PHYSICAL_TYPE_CHANGED',
  FORMAT_CHANGED: 'FORMAT_CHANGED',
  FORMAT_ADDED: 'FORMAT_REMOVED',
  FORMAT_REMOVED: 'FORMAT_ADDED',
  PATTERN_ADDED: 'PATTERN_REMOVED',
  PATTERN_REMOVED: 'PATTERN_ADDED',
  PATTERN_CHANGED: 'PATTERN_CHANGED',
  RANGE_TIGHTENED: 'RANGE_RELAXED',
  RANGE_RELAXED: 'RANGE_TIGHTENED',
  ENUM_VALUE_REMOVED: 'ENUM_VALUE_ADDED',
  ENUM_VALUE_ADDED: 'ENUM_VALUE_REMOVED',
  UNIQUE_ADDED: 'UNIQUE_REMOVED',
  UNIQUE_REMOVED: 'UNIQUE_ADDED',
  PRIMARY_KEY_CHANGED: 'PRIMARY_KEY_CHANGED',
  PARTITIONING_CHANGED: 'PARTITIONING_CHANGED',
  CLASSIFICATION_CHANGED: 'CLASSIFICATION_CHANGED',
  QUALITY_ADDED: 'QUALITY_REMOVED',
  QUALITY_REMOVED: 'QUALITY_ADDED',
  SLA_WEAKENED: 'SLA_STRENGTHENED',
  SLA_STRENGTHENED: 'SLA_WEAKENED',
  STATUS_CHANGED: 'STATUS_CHANGED',
  METADATA_CHANGED: 'METADATA_CHANGED',
  ID_CHANGED: 'ID_CHANGED',
};

import type { Path } from '../load/source.js';
import type { OdcsContract, SchemaObject, SchemaProperty } from '../odcs.js';

/** Severity a lint rule reports at unless configured otherwise. */
export type LintSeverity = 'error' | 'warn';

/** Setting of one rule in `mesh.config.yaml` (`contracts.lint.rules`) or in {@link LintOptions}. */
export type LintRuleSetting = 'off' | 'warn' | 'error';

/** One problem a rule found; the engine turns it into a positioned {@link Diagnostic}. */
export interface LintFinding {
  /** Where in the document, from its root (e.g. `['schema', 0, 'properties', 2, 'classification']`). */
  path: Path;
  /** What is wrong and how to fix it, in one sentence. */
  message: string;
  /** Point at the mapping key at `path` rather than its value. @default false */
  key?: boolean;
}

/** A property (or the `items` of an array property) met while walking a schema object. */
export interface PropertyVisit {
  /**
   * The property. For array `items` the `name` may be absent (typed as a property because
   * `SchemaItem`, an `Omit` over an index-signature type, loses the known fields).
   */
  property: SchemaProperty;
  /** Path of the property from the document root, e.g. `['schema', 0, 'properties', 3, 'items']`. */
  path: Path;
  /** Human name: `object.property.nested`, array items as `property[]`. */
  name: string;
  /** The schema object the property belongs to, and its path (`['schema', i]`). */
  object: SchemaObject;
  objectPath: Path;
  /** The enclosing property (object or array) for nested properties and items. */
  parent: PropertyVisit | undefined;
  /** True for the `items` of an array property. */
  isItems: boolean;
}

/** A schema object with its path (`['schema', i]`). */
export interface SchemaObjectVisit {
  object: SchemaObject;
  path: Path;
}

/**
 * What a rule sees: the schema-valid contract and walkers over it. Rules are pure functions of
 * this context; they never see the source text (the engine locates findings once).
 */
export interface LintContext {
  /** The contract (it passed the ODCS JSON Schema). */
  readonly contract: OdcsContract;
  /**
   * The classification of properties that declare none (`defaults.classification` of
   * `mesh.config.yaml`), when the caller has a configuration. @default undefined
   */
  readonly defaultClassification?: string | undefined;
  /** Every schema object, in document order. */
  schemaObjects(): readonly SchemaObjectVisit[];
  /**
   * Every property of every schema object, depth first in document order: nested `properties`
   * of object-typed properties and the `items` of array properties (and their nested
   * properties) included. Computed once per context and shared by all rules.
   */
  properties(): readonly PropertyVisit[];
}

/**
 * A Meshkit lint rule: a global contract policy on top of the ODCS JSON Schema. One rule per
 * file in `src/lint/rules/`; the list is `lintRules` in `src/lint/rules/index.ts`.
 */
export interface LintRule {
  /** Stable id, `CONTRACT-…`; referenced by configuration, suppressions and CI annotations. */
  readonly id: string;
  /** Severity when the configuration does not set one. */
  readonly defaultSeverity: LintSeverity;
  /** Why the rule exists, one line (shown with findings and as SARIF short description). */
  readonly rationale: string;
  /** What exactly is checked, including the decisions the rule makes. */
  readonly description: string;
  /** Yields the findings for one contract. Must not throw on any schema-valid contract. */
  check(ctx: LintContext): Iterable<LintFinding>;
}

import type { Path } from '../load/source.js';
import type { OdcsContract, SchemaObject, SchemaProperty } from '../odcs.js';
import type { LintContext, PropertyVisit, SchemaObjectVisit } from './types.js';

/**
 * Builds the {@link LintContext} of a schema-valid contract. The walks are computed on first
 * use and cached, so all rules share one traversal.
 */
export function createLintContext(contract: OdcsContract, defaultClassification?: string): LintContext {
  let objects: SchemaObjectVisit[] | undefined;
  let props: PropertyVisit[] | undefined;
  const schemaObjects = (): SchemaObjectVisit[] =>
    (objects ??= (Array.isArray(contract.schema) ? contract.schema : []).map((object, i) => ({
      object,
      path: ['schema', i],
    })));
  return {
    contract,
    defaultClassification,
    schemaObjects,
    properties: () => (props ??= walkProperties(schemaObjects())),
  };
}

/** Depth-first walk of every property of the given schema objects (see {@link LintContext.properties}). */
export function walkProperties(objects: readonly SchemaObjectVisit[]): PropertyVisit[] {
  const out: PropertyVisit[] = [];
  const visit = (
    property: SchemaProperty,
    path: Path,
    name: string,
    object: SchemaObject,
    objectPath: Path,
    parent: PropertyVisit | undefined,
    isItems: boolean,
  ): void => {
    const v: PropertyVisit = { property, path, name, object, objectPath, parent, isItems };
    out.push(v);
    if (Array.isArray(property.properties))
      visitList(property.properties, [...path, 'properties'], name, object, objectPath, v);
    const items = property.items;
    if (items && typeof items === 'object' && !Array.isArray(items)) {
      visit(items as SchemaProperty, [...path, 'items'], `${name}[]`, object, objectPath, v, true);
    }
  };
  const visitList = (
    list: SchemaProperty[],
    path: Path,
    prefix: string,
    object: SchemaObject,
    objectPath: Path,
    parent: PropertyVisit | undefined,
  ): void => {
    list.forEach((p, i) => {
      if (!p || typeof p !== 'object') return;
      const label = typeof p.name === 'string' ? p.name : `#${i + 1}`;
      visit(p, [...path, i], prefix ? `${prefix}.${label}` : label, object, objectPath, parent, false);
    });
  };
  for (const { object, path } of objects) {
    if (object && Array.isArray(object.properties)) {
      visitList(object.properties, [...path, 'properties'], String(object.name ?? ''), object, path, undefined);
    }
  }
  return out;
}

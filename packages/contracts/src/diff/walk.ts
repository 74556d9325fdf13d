/**
 * The walk of the compatibility diff: matches the parts of an old and a new contract (schema
 * objects, properties — recursively through nested `properties` and array `items` —, quality
 * rules, SLA entries, servers, custom properties) and records one raw change per difference.
 * Verdicts (severity, bump) are decided later, in `diff.ts`, from the rule table.
 *
 * This module walks the contract level (id, status, schema objects, servers, the compatibility
 * mode); properties, logical type options, quality rules and SLA entries have a module each.
 */
import { MeshError } from '../errors.js';
import type { Path, SourceDocument } from '../load/source.js';
import type { CustomProperty, OdcsContract, SchemaObject, Server, SlaProperty } from '../odcs.js';
import { ChangeRecorder, type At, type RawChange } from './recorder.js';
import { isObj, list, pairItems, show, deepEqual, type Obj } from './values.js';
import {
  COMPATIBILITY_MODES,
  COMPATIBILITY_PROPERTY,
  DEFAULT_MODE,
  isModeAtLeast,
  parseCompatibilityMode,
  type CompatibilityMode,
} from './verdict.js';
import { diffProperties, diffRename } from './walk-properties.js';
import { diffQuality } from './walk-quality.js';
import { diffSla } from './walk-sla.js';

/** A contract to compare: a loaded contract whose `contract` is defined. */
export interface ContractInput {
  source: SourceDocument;
  contract: OdcsContract;
}

/** Server fields that say where the data is or how it is encoded: a change is SERVER_CHANGED. */
const SERVER_LOCATION_KEYS = new Set([
  'type',
  'location',
  'database',
  'host',
  'port',
  'schema',
  'catalog',
  'account',
  'project',
  'dataset',
  'region',
  'regionName',
  'endpointUrl',
  'path',
  'serviceName',
  'warehouse',
  'stream',
  'format',
  'delimiter',
]);
const SERVER_KEYS = new Set([...SERVER_LOCATION_KEYS, 'server']);
const OBJECT_KEYS = new Set([
  'name',
  'physicalName',
  'id',
  'classification',
  'properties',
  'quality',
  'customProperties',
]);
// `apiVersion` is not compared: both contracts are read as v3.1.0 (contract/v30.ts), so `mesh contract upgrade` is no change.
const CONTRACT_KEYS = new Set([
  'apiVersion',
  'version',
  'id',
  'status',
  'schema',
  'servers',
  'slaProperties',
  'customProperties',
]);

/** Index of the `meshkit.compatibility` custom property of a contract, or -1. */
function compatibilityIndex(contract: OdcsContract): number {
  return list<CustomProperty>(contract.customProperties).findIndex(
    (property) => isObj(property) && property.property === COMPATIBILITY_PROPERTY,
  );
}

/** The compatibility mode a contract declares in `meshkit.compatibility`, if any. */
export function declaredMode(input: ContractInput, strict: boolean): CompatibilityMode | undefined {
  const index = compatibilityIndex(input.contract);
  if (index < 0) return undefined;
  const raw = list<CustomProperty>(input.contract.customProperties)[index]!.value;
  const mode = parseCompatibilityMode(raw);
  if (mode) return mode;
  if (!strict) return undefined;
  const where = input.source.locate(['customProperties', index, 'value']);
  throw new MeshError(
    'INVALID_CONTRACT',
    `${COMPATIBILITY_PROPERTY} is ${JSON.stringify(raw)}: expected one of ${COMPATIBILITY_MODES.join(', ')}`,
    { file: where.file, line: where.line, column: where.column, exitCode: 2 },
  );
}

/** Walks one old/new pair of contracts and collects raw changes. */
export class ContractWalker {
  readonly #recorder: ChangeRecorder;

  constructor(
    private readonly oldInput: ContractInput,
    private readonly newInput: ContractInput,
    private readonly modeFromFlag: boolean,
  ) {
    this.#recorder = new ChangeRecorder(oldInput.source, newInput.source);
  }

  /** Runs the walk; returns the raw changes. */
  run(): RawChange[] {
    const recorder = this.#recorder;
    const before = this.oldInput.contract as Obj;
    const after = this.newInput.contract as Obj;
    if (before.id !== after.id)
      recorder.add('ID_CHANGED', 'id', `contract id changed from ${show(before.id)} to ${show(after.id)}`, ['id']);
    if (before.status !== after.status) {
      const to = typeof after.status === 'string' ? after.status.toLowerCase() : '';
      recorder.add(
        'STATUS_CHANGED',
        'status',
        `status changed from ${show(before.status)} to ${show(after.status)}`,
        ['status'],
        { warn: to === 'deprecated' || to === 'retired' },
      );
    }
    this.schema(list<SchemaObject>(before.schema), list<SchemaObject>(after.schema));
    this.servers(list<Server>(before.servers), list<Server>(after.servers));
    diffSla(recorder, list<SlaProperty>(before.slaProperties), list<SlaProperty>(after.slaProperties));
    this.compatibilityMode();
    const scope = { base: '', label: 'the contract', oldAt: [], newAt: [] };
    recorder.customProperties(before.customProperties, after.customProperties, scope);
    recorder.otherKeys(before, after, CONTRACT_KEYS, '', 'the contract', []);
    return recorder.changes;
  }

  private compatibilityMode(): void {
    const before = declaredMode(this.oldInput, false) ?? DEFAULT_MODE;
    const after = declaredMode(this.newInput, true) ?? DEFAULT_MODE;
    if (before === after) return;
    const index = compatibilityIndex(this.newInput.contract);
    const at: Path = index >= 0 ? ['customProperties', index, 'value'] : ['customProperties'];
    const path = `customProperties[${COMPATIBILITY_PROPERTY}]`;
    if (isModeAtLeast(after, before)) {
      this.#recorder.add(
        'COMPATIBILITY_MODE_CHANGED',
        path,
        `compatibility mode strengthened from ${before} to ${after}`,
        at,
        { breaks: { backward: false, forward: false } },
      );
    } else {
      this.#recorder.add(
        'COMPATIBILITY_MODE_CHANGED',
        path,
        `compatibility mode weakened from ${before} to ${after}`,
        at,
        this.modeFromFlag ? {} : { judge: before },
      );
    }
  }

  private schema(before: SchemaObject[], after: SchemaObject[]): void {
    const pairing = pairItems(
      before,
      after,
      (object) => object?.id,
      (object) => String(object?.name),
    );
    for (const oldIndex of pairing.removed) {
      const name = String(before[oldIndex]!.name);
      this.#recorder.add(
        'SCHEMA_OBJECT_REMOVED',
        `schema[${name}]`,
        `schema object '${name}' removed`,
        ['schema', oldIndex],
        {
          removal: true,
        },
      );
    }
    for (const newIndex of pairing.added) {
      const name = String(after[newIndex]!.name);
      this.#recorder.add('SCHEMA_OBJECT_ADDED', `schema[${name}]`, `schema object '${name}' added`, [
        'schema',
        newIndex,
      ]);
    }
    for (const [oldIndex, newIndex] of pairing.pairs)
      this.schemaObject(
        { value: before[oldIndex]!, at: ['schema', oldIndex] },
        { value: after[newIndex]!, at: ['schema', newIndex] },
      );
  }

  private schemaObject(before: At<SchemaObject>, after: At<SchemaObject>): void {
    if (deepEqual(before.value, after.value)) return;
    const recorder = this.#recorder;
    const name = String(after.value.name);
    const path = `schema[${name}]`;
    const label = `'${name}'`;
    diffRename(recorder, 'SCHEMA_OBJECT_RENAMED', 'schema object', before, after, path);
    if (before.value.classification !== after.value.classification) {
      recorder.add(
        'CLASSIFICATION_CHANGED',
        `${path}.classification`,
        `classification of ${label} changed from ${show(before.value.classification)} to ${show(after.value.classification)}`,
        [...after.at, 'classification'],
        { warn: true },
      );
    }
    diffProperties(
      recorder,
      list(before.value.properties),
      list(after.value.properties),
      path,
      name,
      before.at,
      after.at,
    );
    const scope = { base: path, label, oldAt: before.at, newAt: after.at };
    diffQuality(recorder, list(before.value.quality), list(after.value.quality), scope, false);
    recorder.customProperties(before.value.customProperties, after.value.customProperties, scope);
    recorder.otherKeys(before.value, after.value, OBJECT_KEYS, path, label, after.at);
  }

  private servers(before: Server[], after: Server[]): void {
    if (deepEqual(before, after)) return;
    const recorder = this.#recorder;
    const pairing = pairItems(
      before,
      after,
      () => undefined,
      (server) => String(server?.server),
    );
    for (const oldIndex of pairing.removed) {
      const server = before[oldIndex]!;
      recorder.add(
        'SERVER_CHANGED',
        `servers[${server.server}]`,
        `server '${server.server}' removed`,
        ['servers', oldIndex],
        {
          removal: true,
        },
      );
    }
    for (const newIndex of pairing.added) {
      const server = after[newIndex]!;
      recorder.add('METADATA_CHANGED', `servers[${server.server}]`, `server '${server.server}' added`, [
        'servers',
        newIndex,
      ]);
    }
    for (const [oldIndex, newIndex] of pairing.pairs) {
      const oldServer = before[oldIndex]! as Obj;
      const newServer = after[newIndex]! as Obj;
      if (deepEqual(oldServer, newServer)) continue;
      const label = `server '${String(newServer.server)}'`;
      const path = `servers[${String(newServer.server)}]`;
      for (const key of new Set([...Object.keys(oldServer), ...Object.keys(newServer)])) {
        if (!SERVER_LOCATION_KEYS.has(key) || deepEqual(oldServer[key], newServer[key])) continue;
        recorder.add(
          'SERVER_CHANGED',
          `${path}.${key}`,
          `${key} of ${label} changed from ${show(oldServer[key])} to ${show(newServer[key])}`,
          ['servers', newIndex, key],
        );
      }
      recorder.otherKeys(oldServer, newServer, SERVER_KEYS, path, label, ['servers', newIndex]);
    }
  }
}

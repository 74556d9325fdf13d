/**
 * The organisation's policy packs: npm packages whose module exports `rules` (a list of
 * {@link PolicyRule}), named in `mesh.config.yaml` `policy.packs`, loaded after @meshkit/core's
 * pack; and the per-rule settings of `policy.rules` (level, `enforceFrom`) applied to every rule.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  loadMeshConfig,
  MeshError,
  MESH_CONFIG_FILE,
  type MeshConfig,
  type PolicyRuleSetting,
} from '@meshkit/contracts';
import { MESH_POLICY_RULES } from './pack.js';
import type { PolicyArea, PolicyRule } from './rule.js';
import { MESH_POLICY_PACK_VERSION } from './version.js';

/** Name under which @meshkit/core's own rules are reported. */
export const CORE_PACK_NAME = '@meshkit/core';

/** Shape of a rule id: `<PREFIX>-<AREA>-<NAME>` in upper-case kebab (e.g. `ACME-ENC-KMS-ROTATION`). */
export const RULE_ID_PATTERN = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/;

const AREAS: readonly PolicyArea[] = ['ENC', 'TAG', 'DQ', 'IAM', 'NET', 'LF', 'LOG', 'DR', 'RES', 'CFN'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** One loaded pack. */
export interface LoadedPolicyPack {
  /** npm package name (`@meshkit/core` for the built-in pack). */
  readonly name: string;
  /** Its package version. */
  readonly version: string;
  /** Package folder (absent for the built-in pack). */
  readonly dir?: string;
  /** Ids of its rules, in pack order. */
  readonly ruleIds: readonly string[];
}

/** Where a rule comes from, as reports show it. */
export interface RuleOrigin {
  readonly pack: string;
  readonly version: string;
}

/** What {@link loadPolicyRules} returns. */
export interface LoadedPolicyRules {
  /** Every rule to run (core first, then each pack), with the settings of `policy.rules` applied; `off` rules left out. */
  readonly rules: readonly PolicyRule[];
  /** The packs, core first. */
  readonly packs: readonly LoadedPolicyPack[];
  /** Pack and version of every rule id (rules set `off` included). */
  readonly origins: ReadonlyMap<string, RuleOrigin>;
  /** Folders of the organisation's packs (inputs of every stack: `stackInputsHash`). */
  readonly inputs: readonly string[];
}

/** Options of {@link loadPolicyRules}. */
export interface LoadPolicyRulesOptions {
  /**
   * Imports a pack's module (a `file:` URL). The CLI passes tsx's `tsImport`, so packs may be
   * written in TypeScript.
   * @default the runtime's `import()`
   */
  readonly importModule?: (url: string) => Promise<unknown>;
}

const refuse = (message: string): never => {
  throw new MeshError('INVALID_CONFIG', message, { exitCode: 2 });
};

/** Reads a pack module's rules: `export const rules = [...]`, or a default export of a list or `{ rules }`. */
function rulesOf(mod: unknown): unknown[] | undefined {
  const m = mod as { rules?: unknown; default?: unknown } | undefined;
  const candidates = [m?.rules, m?.default, (m?.default as { rules?: unknown } | undefined)?.rules];
  return candidates.find((c): c is unknown[] => Array.isArray(c));
}

/** Why an exported value is not a usable {@link PolicyRule}, or undefined. */
function ruleProblem(r: unknown): string | undefined {
  if (r === null || typeof r !== 'object') return 'is not an object';
  const x = r as Partial<PolicyRule>;
  if (typeof x.id !== 'string' || !RULE_ID_PATTERN.test(x.id))
    return `has no valid id (got ${JSON.stringify(x.id)}; expected e.g. ACME-ENC-KMS-ROTATION)`;
  if (typeof x.check !== 'function') return 'has no check(resource, ctx) function';
  for (const k of ['title', 'rationale', 'fix', 'since'] as const)
    if (typeof x[k] !== 'string' || x[k].trim() === '') return `has no ${k}`;
  if (!AREAS.includes(x.area as PolicyArea))
    return `has an unknown area ${JSON.stringify(x.area)} (one of ${AREAS.join(', ')})`;
  if (x.enforceFrom !== undefined && (typeof x.enforceFrom !== 'string' || !DATE.test(x.enforceFrom)))
    return `has an enforceFrom that is not a YYYY-MM-DD date`;
  if (
    x.resourceTypes !== undefined &&
    !(Array.isArray(x.resourceTypes) && x.resourceTypes.every((t) => typeof t === 'string'))
  )
    return 'has resourceTypes that are not a list of strings';
  return undefined;
}

/** A rule with the platform's setting applied (the pack's object is never changed). */
function withSetting(rule: PolicyRule, setting: PolicyRuleSetting | undefined): PolicyRule {
  if (!setting || (setting.level === undefined && setting.enforceFrom === undefined)) return rule;
  const over: Record<string, unknown> = {};
  if (setting.enforceFrom !== undefined) over.enforceFrom = setting.enforceFrom;
  if (setting.level === 'warning') over.level = 'warning';
  if (setting.level === 'error') {
    over.level = undefined;
    if (setting.enforceFrom === undefined) over.enforceFrom = undefined;
  }
  // Inherit from the rule, so class instances keep their methods.
  const derived = Object.create(rule) as Record<string, unknown>;
  for (const [k, v] of Object.entries(over)) Object.defineProperty(derived, k, { value: v, enumerable: true });
  return derived as unknown as PolicyRule;
}

/**
 * Loads the rules the platform enforces: @meshkit/core's pack, then each package of
 * `config.policy.packs` (resolved from the repository root `root`), with the settings of
 * `config.policy.rules`.
 *
 * @throws MeshError (exit 2) naming the pack — and the rule id — when a pack cannot be found or
 * fails to load, exports no rules, exports something that is not a rule, or defines a rule id
 * already defined (by core, another pack or itself); and at mesh.config.yaml's line when
 * `policy.rules` names a rule no pack defines.
 */
export async function loadPolicyRules(
  root: string,
  config: MeshConfig,
  options: LoadPolicyRulesOptions = {},
): Promise<LoadedPolicyRules> {
  const importModule = options.importModule ?? ((url: string) => import(url));
  const origins = new Map<string, RuleOrigin>();
  const core: RuleOrigin = { pack: CORE_PACK_NAME, version: MESH_POLICY_PACK_VERSION };
  const all: PolicyRule[] = [];
  for (const r of MESH_POLICY_RULES) {
    origins.set(r.id, core);
    all.push(r);
  }
  const packs: LoadedPolicyPack[] = [
    { name: CORE_PACK_NAME, version: MESH_POLICY_PACK_VERSION, ruleIds: MESH_POLICY_RULES.map((r) => r.id) },
  ];
  const inputs: string[] = [];
  const require = createRequire(join(root, 'package.json'));
  for (const name of config.policy.packs ?? []) {
    const manifestFile = packManifestFile(require, name);
    const dir = dirname(manifestFile);
    const version = packVersion(root, manifestFile, name);
    let mod: unknown;
    try {
      const entry = require.resolve(name);
      mod = await importModule(pathToFileURL(entry).href);
    } catch (e) {
      return refuse(
        `policy pack '${name}' ${version} failed to load: ${(e as Error).message?.split('\n')[0] ?? String(e)}`,
      );
    }
    const rules = rulesOf(mod);
    if (!rules || rules.length === 0)
      return refuse(
        `policy pack '${name}' ${version} exports no rules (expected: export const rules: PolicyRule[] = [...])`,
      );
    const ids = rules.map((r, i) => registerRule(r, i, { pack: name, version }, origins));
    all.push(...rules.map((r) => r as PolicyRule));
    packs.push({ name, version, dir, ruleIds: ids });
    inputs.push(dir);
  }
  const settings = config.policy.rules ?? {};
  assertKnownRules(root, config, origins);
  const rules = all.filter((r) => settings[r.id]?.level !== 'off').map((r) => withSetting(r, settings[r.id]));
  return { rules, packs, origins, inputs };
}

/** A pack's package.json, resolved from the repository. @throws MeshError (exit 2) when the pack is not installed */
function packManifestFile(require: NodeJS.Require, name: string): string {
  try {
    return require.resolve(`${name}/package.json`);
  } catch {
    // Packages without "./package.json" in their exports: find the folder from the main entry.
    let entry: string | undefined;
    try {
      entry = require.resolve(name);
    } catch {
      return refuse(
        `policy pack '${name}' (mesh.config.yaml policy.packs) is not installed: add it as a dependency of the repository (or a workspace such as platform/policies) and run npm install`,
      );
    }
    let dir = dirname(entry);
    while (!safeName(join(dir, 'package.json'), name) && dirname(dir) !== dir) dir = dirname(dir);
    return join(dir, 'package.json');
  }
}

/** A pack's version (`0.0.0` when its package.json has none). @throws MeshError (exit 2) when unreadable */
function packVersion(root: string, manifestFile: string, name: string): string {
  try {
    return String((JSON.parse(readFileSync(manifestFile, 'utf8')) as { version?: unknown }).version ?? '0.0.0');
  } catch (e) {
    return refuse(`policy pack '${name}': ${relative(root, manifestFile)} is unreadable: ${(e as Error).message}`);
  }
}

/**
 * Records the origin of one rule a pack exports (the `i`-th) and returns its id.
 * @throws MeshError (exit 2) when it is not a rule, or its id is already defined
 */
function registerRule(r: unknown, i: number, origin: RuleOrigin, origins: Map<string, RuleOrigin>): string {
  const { pack: name, version } = origin;
  const problem = ruleProblem(r);
  const id = (r as { id?: unknown })?.id;
  if (problem) refuse(`policy pack '${name}' ${version}: rule ${typeof id === 'string' ? id : `#${i + 1}`} ${problem}`);
  const rule = r as PolicyRule;
  const clash = origins.get(rule.id);
  if (clash)
    refuse(
      `policy pack '${name}' ${version}: rule id ${rule.id} is already defined by ${clash.pack === name ? 'this pack' : `${clash.pack} ${clash.version}`}; rule ids are unique across packs`,
    );
  origins.set(rule.id, origin);
  return rule.id;
}

/** Every rule `policy.rules` sets is defined. @throws MeshError (exit 2) at mesh.config.yaml's line of the first unknown one */
function assertKnownRules(root: string, config: MeshConfig, origins: ReadonlyMap<string, RuleOrigin>): void {
  const unknown = Object.keys(config.policy.rules ?? {}).find((id) => !origins.has(id));
  if (unknown === undefined) return;
  const file = join(root, MESH_CONFIG_FILE);
  const at = loadMeshConfig(file).source.locate(['policy', 'rules', unknown], { key: true });
  throw new MeshError(
    'INVALID_CONFIG',
    `policy.rules: no rule ${unknown} in @meshkit/core or the packs (${(config.policy.packs ?? []).join(', ') || 'none'})`,
    {
      file: relative(root, file) || MESH_CONFIG_FILE,
      line: at.line,
      column: at.column,
      exitCode: 2,
    },
  );
}

function safeName(file: string, name: string): boolean {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === name;
  } catch {
    return false;
  }
}

// The version gate of a publish (the new version against the published versions of its major)
// and the patch release of a served major's frozen contract edited after its release.
import semver from 'semver';
import {
  canonicalJson,
  checkVersion,
  diffContracts,
  MeshError,
  parseContract,
  resolveMode,
  setContractVersion,
  type ContractInput,
  type Diagnostic,
  type OdcsContract,
} from '@meshkit/contracts';
import type { CatalogBackend } from './backend.js';
import { sameContract, type CatalogRecord } from './record.js';

/** What the gate compared with, and what it found (blocking when not empty). */
export interface GateResult {
  /** Versions of the same major the gate compared with (ascending). */
  baselines: string[];
  findings: Diagnostic[];
}

/**
 * The version gate: `current` against the latest published version of its major (every version
 * of that major for `_TRANSITIVE` modes); nothing for a new major line. The texts of the versions
 * read are added to `sources`.
 * @throws MeshError `CATALOG_CORRUPT` (exit 2) when a published contract no longer parses
 */
export async function versionGate(
  catalog: CatalogBackend,
  record: CatalogRecord,
  current: ContractInput,
  published: string[],
  sources: Map<string, string>,
): Promise<GateResult | undefined> {
  const { domain, product: name } = record;
  const sameMajor = published.filter((v) => semver.major(v) === record.major && v !== record.version);
  if (!sameMajor.length) return undefined;
  const mode = resolveMode(current);
  const transitive = mode.endsWith('_TRANSITIVE');
  const baselines = transitive ? sameMajor : sameMajor.slice(-1);
  const olds: ContractInput[] = [];
  for (const v of baselines) {
    const r = await catalog.get(domain, name, v);
    const parsed = parseContract(`catalog:${domain}/${name}@${v}`, r!.contractText);
    if (!parsed.contract)
      throw new MeshError(
        'CATALOG_CORRUPT',
        `published contract ${domain}/${name}@${v} no longer parses: ${parsed.diagnostics[0]?.message ?? ''}`,
        { exitCode: 2 },
      );
    olds.push(parsed as ContractInput);
    sources.set(parsed.source.file, parsed.source.text);
  }
  const gate = checkVersion(olds[olds.length - 1]!, current);
  const findings = [...gate.findings];
  if (transitive && olds.length > 1) {
    const diff = diffContracts(olds, current);
    if (!diff.compatible) {
      findings.push({
        rule: 'CATALOG_INCOMPATIBLE_IN_MAJOR',
        severity: 'error',
        path: 'version',
        location: current.source.locate(['version'], { key: true }),
        message: `${mode}: the changes break compatibility with an earlier published ${record.major}.x version (${baselines.join(', ')}); publish it as a new major`,
      });
    }
  }
  return { baselines, findings };
}

/**
 * A served major's frozen contract edited after its release (a deprecation window, a new status)
 * is a patch release of that major: published as the next patch version (or as the latest one,
 * when that holds the same edit), the frozen file unchanged (published records never change).
 * Returns the record to publish instead, or undefined when the edit is not metadata only.
 */
export async function patchRelease(
  catalog: CatalogBackend,
  record: CatalogRecord,
  published: string[],
  source: { text: string; file: string },
): Promise<CatalogRecord | undefined> {
  const { domain, product: name, version, contract } = record;
  const prior = (await catalog.get(domain, name, version))!;
  if (sameContract(prior, record) || !metadataOnly(prior.contract, contract)) return undefined;
  const ofMajor = published.filter((v) => semver.major(v) === record.major);
  const latest = ofMajor.at(-1)!;
  const as = (v: string): CatalogRecord => {
    const text = setContractVersion(source.text, v, source.file);
    return { ...record, version: v, contractText: text, contract: { ...contract, version: v } };
  };
  const top = latest !== version ? await catalog.get(domain, name, latest) : undefined;
  const target = top && sameContract(top, as(latest)) ? latest : semver.inc(latest, 'patch')!;
  return as(target);
}

/** Top-level contract keys that are metadata: changing only these changes no data, column or rule. */
const METADATA_KEYS = new Set([
  'version',
  'status',
  'customProperties',
  'description',
  'tags',
  'contractCreatedTs',
  'authoritativeDefinitions',
  'support',
  'team',
  'price',
  'roles',
]);

/** Whether two contracts differ only in metadata ({@link METADATA_KEYS}): the same schema, quality rules, SLAs and servers. */
export function metadataOnly(a: OdcsContract, b: OdcsContract): boolean {
  const data = (c: OdcsContract) =>
    canonicalJson(Object.fromEntries(Object.entries(c).filter(([k]) => !METADATA_KEYS.has(k))));
  return data(a) === data(b);
}

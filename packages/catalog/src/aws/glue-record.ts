// A catalog record rebuilt from what the Glue Schema Registry holds of a contract version.
import semver from 'semver';
import { gitShowFile, MeshError, parseContract, type MeshConfig, type ProductManifest } from '@meshkit/contracts';
import { RECORD_FORMAT, type CatalogRecord } from '../record.js';
import { contractArtifacts } from '../record-artifacts.js';
import type { RecordMetadata } from './glue-schema.js';
import { sha256 } from './glue-preflight.js';

/** What the registry holds of a published contract version. */
export interface RegistryVersion {
  domain: string;
  product: string;
  version: string;
  /** When the schema version was created. */
  created?: string;
  meta?: RecordMetadata;
}

/**
 * The record of a registry version: the contract text from `git show <commit>:<path>` (checked
 * against the recorded text hash) with owner, classification and consumes from the working
 * copy's product.yaml (read by `manifestOf`, once the text is found).
 * @throws MeshError `CATALOG_RECORD_UNAVAILABLE` (exit 2) when the contract text is not at the
 *   recorded git commit, `CATALOG_CORRUPT` (exit 2) when it no longer parses.
 */
export function recordFromGit(
  root: string,
  config: MeshConfig,
  v: RegistryVersion,
  manifestOf: () => ProductManifest | undefined,
): CatalogRecord {
  const { domain, product, version } = v;
  const label = `${domain}/${product}@${version}`;
  const { commit, path, text: textHash } = v.meta ?? {};
  const text = commit && path ? gitShowFile(root, commit, path) : undefined;
  if (text === undefined || !textHash || !sha256(text).startsWith(textHash)) {
    throw new MeshError(
      'CATALOG_RECORD_UNAVAILABLE',
      `${label} is in the Glue registry, but its contract text is not available here: ${commit && path ? `${path} at commit ${commit.slice(0, 12)} ${text === undefined ? 'is not in this clone (git fetch it)' : 'differs from what was published (the publish was made from uncommitted changes)'}` : 'it was published outside git'}, and the local catalog has no matching record`,
      { exitCode: 2 },
    );
  }
  const parsed = parseContract(`glue:${label}`, text);
  if (!parsed.contract)
    throw new MeshError(
      'CATALOG_CORRUPT',
      `published contract ${label} no longer parses: ${parsed.diagnostics[0]?.message ?? ''}`,
      { exitCode: 2 },
    );
  const contract = parsed.contract;
  const manifest = manifestOf();
  return {
    format: RECORD_FORMAT,
    domain,
    product,
    version,
    major: semver.major(version),
    id: String(contract.id),
    owner: manifest?.owner ?? '',
    classification: manifest?.classification ?? config.defaults.classification,
    consumes: manifest?.consumes ?? [],
    contract,
    contractText: text,
    ...contractArtifacts(contract),
    publishedAt: v.created ?? new Date(0).toISOString(),
    gitCommit: commit ?? null,
  };
}

// The Meshkit contract lint pack: every rule, in the order they are documented.
import type { LintRule } from '../types.js';
import { columnNameCollision } from './column-name-collision.js';
import { compatibilityMode } from './compatibility-mode.js';
import { contractOwner } from './contract-owner.js';
import { contractVersionSemver } from './contract-version-semver.js';
import { piiClassification } from './pii-classification.js';
import { portableRegex } from './portable-regex.js';
import { primaryKeyRequired } from './primary-key-required.js';
import { propertyClassification } from './property-classification.js';
import { propertyDescription } from './property-description.js';
import { propertyLogicalType } from './property-logical-type.js';
import { qualityDqdl } from './quality-dqdl.js';
import { schemaQuality } from './schema-quality.js';
import { slaValue } from './sla-value.js';
import { uniqueIds } from './unique-ids.js';

/** All lint rules of Meshkit, with their default severities (the pack). */
export const lintRules: readonly LintRule[] = Object.freeze([
  contractOwner,
  contractVersionSemver,
  uniqueIds,
  columnNameCollision,
  compatibilityMode,
  propertyLogicalType,
  propertyDescription,
  propertyClassification,
  piiClassification,
  primaryKeyRequired,
  schemaQuality,
  portableRegex,
  qualityDqdl,
  slaValue,
]);

export {
  columnNameCollision,
  compatibilityMode,
  contractOwner,
  contractVersionSemver,
  piiClassification,
  portableRegex,
  primaryKeyRequired,
  propertyClassification,
  propertyDescription,
  propertyLogicalType,
  qualityDqdl,
  schemaQuality,
  slaValue,
  uniqueIds,
};

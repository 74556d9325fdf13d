// Example Corp's policy pack: every rule, in report order. mesh.config.yaml policy.packs names
// this package; policy.rules sets each rule's level and enforceFrom.
import type { PolicyRule } from '@meshkit/core';
import { KmsKeyRotationPeriodRule } from './rules/kms-key-rotation.js';

/** The rules of the pack. */
export const rules: readonly PolicyRule[] = [KmsKeyRotationPeriodRule];

// Types of the generated ajv standalone validators (see scripts/generate-validators.mjs).
import type { ErrorObject } from 'ajv';

export interface StandaloneValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}
/** ODCS v3.1.0 (the official schema). */
export declare const validateOdcs: StandaloneValidator;
/** ODCS v3.0.2 (the official schema). */
export declare const validateOdcsV302: StandaloneValidator;
/** ODCS v3.0.1 (the official schema). */
export declare const validateOdcsV301: StandaloneValidator;
/** ODCS v3.0.0 (the official schema). */
export declare const validateOdcsV300: StandaloneValidator;
export declare const validateMeshConfig: StandaloneValidator;
export declare const validateProductManifest: StandaloneValidator;
export declare const validateDomainManifest: StandaloneValidator;

// Types of the generated ajv standalone validators (see scripts/generate-validators.mjs).
import type { ErrorObject } from 'ajv';

export interface StandaloneValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}
export declare const validateOdcs: StandaloneValidator;
export declare const validateMeshConfig: StandaloneValidator;
export declare const validateProductManifest: StandaloneValidator;
export declare const validateDomainManifest: StandaloneValidator;

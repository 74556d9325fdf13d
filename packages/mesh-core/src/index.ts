/**
 * @meshkit/core — secure-by-default CDK constructs for the data mesh (platform, domains, data
 * products) and the global policy pack that enforces encryption, tagging and data quality at
 * synth.
 */
export type * from './domain/domain.js';
export * from './tags.js';
export * from './constructs/index.js';
export * from './policy/index.js';
export * from './app/load-mesh.js';
export * from './app/served-majors.js';
export * from './app/consumes.js';
export * from './app/mesh-app.js';

// @meshkit/verify: proofs over a synthesized cloud assembly (see README.md).
export * from './iam/index.js';

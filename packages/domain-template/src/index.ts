/**
 * @meshkit/domain-template — the templates domains and data products are rendered from
 * (Handlebars, one language for every file), the class of every file (managed, seeded,
 * merged), the answers schema and provenance. Rendering is pure and in memory; writing files is
 * the caller's job (`mesh new`, the plop generators, `mesh upgrade`).
 */
export * from './render.js';
export * from './provenance.js';
export * from './answers.js';
export * from './upgrade/index.js';
export * from './check.js';
export * from './write.js';

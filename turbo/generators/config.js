// `turbo gen domain|product`: registers the plop generators of generators/plopfile.mjs.
// turbo gen transpiles this file to CommonJS (no import.meta here), so the ES-module plopfile is
// loaded by absolute file URL from the repository root turbo runs in.
export default async function generators(plop) {
  const { pathToFileURL } = await import('node:url');
  const { join } = await import('node:path');
  const { default: register } = await import(pathToFileURL(join(process.cwd(), 'generators', 'plopfile.mjs')).href);
  return register(plop);
}

// Copies what tsc does not emit into dist/: the generated ajv standalone validators (plain JS
// with a hand-written .d.ts).
import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
for (const f of ['validators.js', 'validators.d.ts']) {
  cpSync(`${root}src/generated/${f}`, `${root}dist/generated/${f}`);
}

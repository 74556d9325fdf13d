// Baseline of bench/scaffold: a cold process that renders the same product files with bare
// node-plop `add` actions over the same Handlebars templates (no validation, no provenance, no
// staging). Usage: node bare-plop.mjs <mesh-root> <domain> <product> <batch|stream>
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nodePlop from 'node-plop';

const [root, domain, product, ingestion] = process.argv.slice(2);
const templates = fileURLToPath(new URL('../../packages/domain-template/templates/', import.meta.url));
const manifest = JSON.parse(readFileSync(join(templates, 'manifest.json'), 'utf8'));
const plop = await nodePlop(undefined, { destBasePath: root, force: false });
plop.setHelper('json', (v) => JSON.stringify(v));
const dir = `domains/${domain}/products/${product}`;
plop.setGenerator('product', {
  prompts: [],
  actions: manifest.product
    .filter((e) => !e.ingestion || e.ingestion === ingestion)
    .map((e) => ({
      type: 'add',
      path: `${dir}/${e.path}`,
      templateFile: join(templates, e.source ?? `product/${e.path}.hbs`),
      abortOnFail: true,
    })),
});
const title = product
  .split('-')
  .map((w) => w[0].toUpperCase() + w.slice(1))
  .join(' ');
const data = {
  kind: 'product',
  domain,
  product,
  ingestion,
  batch: ingestion === 'batch',
  stream: ingestion === 'stream',
  owner: `team-${domain}`,
  scope: '@example',
  description: `${title} of the ${domain} domain.`,
  templatePackage: '@meshkit/domain-template',
  templateVersion: '0.1.0',
  productSnake: product.replace(/-/g, '_'),
  productTitle: title,
  packageName: `@example/${domain}.${product}`,
  contractId: `${domain}-${product}`,
};
const r = await plop.getGenerator('product').runActions(data);
if (r.failures.length) {
  console.error(r.failures);
  process.exit(1);
}

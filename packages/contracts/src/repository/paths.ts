import { isAbsolute, join, relative, resolve } from 'node:path';

/**
 * The layout of a repository: `domains/<domain>/domain.yaml`, and one folder per product,
 * `domains/<domain>/products/<product>/product.yaml`. Every path of that layout is built here.
 */

/** Folder of the domains, under the repository root. */
export const DOMAINS_DIR = 'domains';

/** File name of a domain manifest, in the domain folder. */
export const DOMAIN_MANIFEST_FILE = 'domain.yaml';

/** Folder of a domain's products, under the domain folder. */
export const PRODUCTS_DIR = 'products';

/** File name of a product manifest. */
export const PRODUCT_MANIFEST_FILE = 'product.yaml';

/** The contract of a product when product.yaml names none (`contract` of product.yaml). */
export const DEFAULT_CONTRACT_FILE = 'contract.odcs.yaml';

/** `<root>/domains`: the folder holding every domain. */
export function domainsDir(root: string): string {
  return join(root, DOMAINS_DIR);
}

/** `<root>/domains/<domain>`. */
export function domainDir(root: string, domain: string): string {
  return join(root, DOMAINS_DIR, domain);
}

/** `<root>/domains/<domain>/domain.yaml`. */
export function domainManifestFile(root: string, domain: string): string {
  return join(root, DOMAINS_DIR, domain, DOMAIN_MANIFEST_FILE);
}

/** `<root>/domains/<domain>/products`: the folder holding the domain's products. */
export function productsDir(root: string, domain: string): string {
  return join(root, DOMAINS_DIR, domain, PRODUCTS_DIR);
}

/** `<root>/domains/<domain>/products/<product>`: the product folder. */
export function productDir(root: string, domain: string, product: string): string {
  return join(root, DOMAINS_DIR, domain, PRODUCTS_DIR, product);
}

/** `<root>/domains/<domain>/products/<product>/product.yaml`. */
export function productManifestFile(root: string, domain: string, product: string): string {
  return join(productDir(root, domain, product), PRODUCT_MANIFEST_FILE);
}

/** `<root>/.mesh/runs/<domain>/<product>`: where `mesh run` writes a product's output by default. */
export function productRunDir(root: string, domain: string, product: string): string {
  return join(root, '.mesh', 'runs', domain, product);
}

/**
 * How a file is named to a user working in `cwd`: relative to `cwd` when it lies inside it, else
 * its absolute path (a relative `file` is taken from `cwd`).
 */
export function displayPath(file: string, cwd: string): string {
  const abs = isAbsolute(file) ? file : resolve(cwd, file);
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith('..') ? rel : abs;
}

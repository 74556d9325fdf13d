import type { ProductLintRule } from './types.js';

/** PRODUCT-PACKAGE-VERSION: the product's package version is its contract version. */
export const packageVersion: ProductLintRule = {
  id: 'PRODUCT-PACKAGE-VERSION',
  defaultSeverity: 'error',
  rationale: 'Consumers install the product package by version; it must be the contract version they reason about.',
  description:
    "When the product folder has a package.json, its `version` must equal the current contract's `version`. " +
    'Reported at package.json\'s "version" (at the top of the file when it has none). Skipped when the contract is unreadable or invalid.',
  *check({ product }) {
    const pkg = product.readPackageJson();
    const c = product.readContract();
    if (!pkg || 'error' in pkg || !('loaded' in c) || !c.loaded.contract) return;
    const want = String(c.loaded.contract.version);
    if (pkg.version === want) return;
    yield pkg.version === undefined
      ? { file: 'package', path: [], message: `package.json has no "version": set it to the contract version ${want}` }
      : {
          file: 'package',
          path: ['version'],
          message: `package.json version ${JSON.stringify(pkg.version)} differs from the contract version ${want}: they must be equal (mesh version writes both)`,
        };
  },
};

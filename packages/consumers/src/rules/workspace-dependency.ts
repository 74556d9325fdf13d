import semver from 'semver';
import type { ProductLintRule } from './types.js';

const SECTIONS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const;

/**
 * PRODUCT-WORKSPACE-DEPENDENCY: a product's package.json dependency on another product's package
 * must be satisfied by the workspace version, so npm links the workspace folder.
 */
export const workspaceDependency: ProductLintRule = {
  id: 'PRODUCT-WORKSPACE-DEPENDENCY',
  defaultSeverity: 'error',
  rationale:
    'Inside the monorepo a mesh package must come from the workspace: a range the workspace version does not satisfy sends npm to a registry.',
  description:
    "For every dependency (dependencies, devDependencies, peerDependencies, optionalDependencies) of the product's package.json " +
    "that names another product's package of this repository, the range must be satisfied by that package's version in the workspace. " +
    'The contract range a consumer accepts belongs in product.yaml `consumes` (Meshkit enforces it and a served older major is imported ' +
    'from its `/v<N>` subpath); in package.json use "*". Reported at the dependency\'s key.',
  *check({ model, product }) {
    const pkg = product.readPackageJson();
    if (!pkg || 'error' in pkg) return;
    let workspace: Map<string, unknown> | undefined;
    for (const section of SECTIONS) {
      const deps = pkg.data[section];
      if (!deps || typeof deps !== 'object') continue;
      for (const [name, range] of Object.entries(deps as Record<string, unknown>)) {
        workspace ??= new Map(
          [...model.products.values()].flatMap((p) => {
            const other = p.readPackageJson();
            return other && !('error' in other) && typeof other.data.name === 'string'
              ? [[other.data.name, other.version] as const]
              : [];
          }),
        );
        if (!workspace.has(name)) continue;
        const version = String(workspace.get(name));
        if (
          typeof range === 'string' &&
          semver.valid(version) &&
          semver.satisfies(version, range, { includePrerelease: true })
        )
          continue;
        yield {
          file: 'package',
          path: [section, name],
          key: true,
          message: `${section} ${JSON.stringify(name)}: ${JSON.stringify(range)} is not satisfied by the workspace version ${version}, so npm would fetch it from a registry: use "*" (the contract range belongs in product.yaml consumes)`,
        };
      }
    }
  },
};

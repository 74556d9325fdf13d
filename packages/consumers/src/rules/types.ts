import type { LintSeverity, Path } from '@meshkit/contracts';
import type { RepositoryProduct } from '@meshkit/contracts';
import type { MeshModel } from '../mesh.js';
import type { Resolution } from '../resolve.js';

/** A cycle of `consumes` edges through a product. */
export interface ConsumesCycle {
  /** Index of the product's `consumes` entry that starts the cycle. */
  index: number;
  /** The products of the cycle, starting and ending with this product: `[a, b, a]`. */
  cycle: string[];
}

/**
 * What a product lint rule sees: one product, its resolved `consumes` entries and the whole
 * mesh. Resolution (which reads the catalog) is done before the rules run, so rules are
 * synchronous functions of this context.
 */
export interface ProductLintContext {
  readonly model: MeshModel;
  readonly product: RepositoryProduct;
  /** Every `consumes` entry of the product, resolved, in order. */
  readonly resolutions: readonly Resolution[];
  /** Cycles of `consumes` through this product (one per product of a cycle). */
  readonly cycles: readonly ConsumesCycle[];
  /** The instant deprecation windows are judged at. */
  readonly now: Date;
}

/** One problem a product rule found; the engine locates it. */
export interface ProductLintFinding {
  /** Which file: product.yaml (`manifest`) or package.json (`package`). @default 'manifest' */
  file?: 'manifest' | 'package';
  /** Path in that file, from its root. */
  path: Path;
  /** What is wrong and how to fix it, in one sentence. */
  message: string;
  /** Point at the mapping key at `path` rather than its value. @default false */
  key?: boolean;
  /** Always an error whatever the configured severity (e.g. past end of life); `off` still disables. @default false */
  error?: boolean;
}

/** A product lint rule: one file per rule in `src/rules/`, listed in `productLintRules`. */
export interface ProductLintRule {
  /** Stable id, `PRODUCT-…`; referenced by configuration and CI annotations. */
  readonly id: string;
  /** Severity when the configuration does not set one. */
  readonly defaultSeverity: LintSeverity;
  /** Why the rule exists, one line. */
  readonly rationale: string;
  /** What exactly is checked, including the decisions the rule makes. */
  readonly description: string;
  /** Yields the findings for one product. Must not throw. */
  check(ctx: ProductLintContext): Iterable<ProductLintFinding>;
}

// The product lint pack: every rule, in the order they are documented.
import { classificationColumn } from './classification-column.js';
import { consumesColumn } from './consumes-column.js';
import { consumesCycle } from './consumes-cycle.js';
import { consumesDeprecated } from './consumes-deprecated.js';
import { consumesRange } from './consumes-range.js';
import { consumesSelf } from './consumes-self.js';
import { consumesUnknown } from './consumes-unknown.js';
import { consumesUnsatisfied } from './consumes-unsatisfied.js';
import { ingestionFormat } from './ingestion-format.js';
import { packageVersion } from './package-version.js';
import { servedMajor } from './served-major.js';
import { workspaceDependency } from './workspace-dependency.js';
import type { ProductLintRule } from './types.js';

/** Every product lint rule, with its default severity. */
export const productLintRules: readonly ProductLintRule[] = Object.freeze([
  consumesRange,
  consumesUnknown,
  consumesSelf,
  consumesCycle,
  consumesUnsatisfied,
  consumesColumn,
  consumesDeprecated,
  packageVersion,
  workspaceDependency,
  ingestionFormat,
  servedMajor,
  classificationColumn,
]);

export {
  classificationColumn,
  consumesColumn,
  consumesCycle,
  consumesDeprecated,
  consumesRange,
  consumesSelf,
  consumesUnknown,
  consumesUnsatisfied,
  ingestionFormat,
  packageVersion,
  servedMajor,
  workspaceDependency,
};

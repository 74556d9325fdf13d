import { type Stack, Stage } from 'aws-cdk-lib';
import { constructPathResolver } from './construct-paths.js';
import { nestedTemplatesOf } from './nested-templates.js';
import type { CfnTemplate } from './template-context.js';
import { evaluateTemplates, type EvaluateOptions, type PolicyFinding } from './evaluate.js';

/**
 * Synthesizes the assembly of `stack` and returns the pack's findings on that stack (the other
 * stacks of the assembly are read for cross-stack references). For tests of products and rules;
 * do not call it on an app that has `enforceMeshPolicies` (its synth fails on violations).
 */
export function evaluateStack(stack: Stack, options: Omit<EvaluateOptions, 'stackName'> = {}): PolicyFinding[] {
  const stage = Stage.of(stack);
  if (!stage) throw new Error(`evaluateStack: ${stack.node.path} is not in an App or Stage`);
  const assembly = stage.synth({ force: true });
  const artifacts = assembly.stacks;
  const paths = constructPathResolver(stage);
  const cache = new Map();
  const evals = evaluateTemplates(
    artifacts.map((a) => ({
      template: a.template as object,
      stackName: a.stackName,
      key: a.id,
      pathOf: paths(a.hierarchicalId),
      nested: nestedTemplatesOf(assembly.directory, a.template as CfnTemplate, cache),
      nestedPathOf: paths,
    })),
    options,
  );
  const i = artifacts.findIndex((a) => a.id === stack.artifactId);
  return i < 0 ? [] : evals[i]!.findings;
}

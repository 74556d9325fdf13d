import { CfnElement, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Construct paths by (stack construct path, logical id), from the construct tree — for templates
 * synthesized without `aws:cdk:path` metadata. Built lazily on the first lookup (only findings
 * need a path), once per tree.
 */
export function constructPathResolver(
  root: IConstruct,
): (stackPath: string) => (logicalId: string) => string | undefined {
  let index: Map<string, string> | undefined;
  const build = () => {
    const m = new Map<string, string>();
    for (const c of root.node.findAll()) {
      if (!CfnElement.isCfnElement(c)) continue;
      const stack = Stack.of(c);
      const id = stack.resolve(c.logicalId) as unknown;
      if (typeof id === 'string') m.set(`${stack.node.path}\u0000${id}`, c.node.path);
    }
    return m;
  };
  return (stackPath) => (logicalId) => (index ??= build()).get(`${stackPath}\u0000${logicalId}`);
}

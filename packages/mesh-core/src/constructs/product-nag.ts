import { Stack, Validations, type aws_iam as iam } from 'aws-cdk-lib';

/**
 * Acknowledges cdk-nag's `AwsSolutions-IAM5` for each wildcard *resource* of a policy of a product
 * part, with the reason. cdk-nag v3 reads acknowledgements per finding (`AwsSolutions-IAM5[Resource::…]`,
 * references flattened to `<LogicalId.Attr>`); this names exactly the findings the policy has now,
 * so a wildcard added later (and every wildcard *action*) is still reported. Call it once, after
 * the policy's last statement. Recording an acknowledgement needs no dependency on cdk-nag.
 */
export function acknowledgeWildcardResources(policy: iam.Policy, reason: string): void {
  const doc = Stack.of(policy).resolve(policy.document) as {
    Statement?: Array<{ Effect?: string; Resource?: unknown }>;
  };
  const seen = new Set<string>();
  for (const statement of doc.Statement ?? []) {
    if (statement.Effect !== 'Allow') continue;
    const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
    for (const r of resources) {
      const flat = flatten(r);
      if (flat.includes('*')) seen.add(flat);
    }
  }
  if (seen.size)
    Validations.of(policy).acknowledge(...[...seen].map((r) => ({ id: `AwsSolutions-IAM5[Resource::${r}]`, reason })));
}

/** cdk-nag's flattening of a CloudFormation reference (`utils/flatten-cfn-reference`). */
function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const o = node as Record<string, unknown>;
  if (o['Fn::Join']) {
    const [sep, items] = o['Fn::Join'] as [string, unknown[]];
    return items.map(flatten).join(sep);
  }
  if (o['Fn::Sub']) return flatten(o['Fn::Sub']);
  if (o['Fn::GetAtt']) {
    const [res, attr] = o['Fn::GetAtt'] as [unknown, unknown];
    return `<${flatten(res)}.${flatten(attr)}>`;
  }
  if (o['Fn::ImportValue']) return flatten(o['Fn::ImportValue']);
  if (o.Ref) return `<${flatten(o.Ref)}>`;
  return JSON.stringify(node);
}

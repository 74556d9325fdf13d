import { danglingReferences } from '@meshkit/contracts';
import type { VerifyFinding } from '../finding.js';
import type { AssemblyModel } from '../assembly/resolve.js';

/**
 * Every `Ref`, `Fn::GetAtt`, `Fn::Sub` reference, `DependsOn` and `Fn::ImportValue` of every
 * stack names something that exists: a resource or parameter of the stack, a pseudo parameter,
 * or an export of a stack of the assembly. An escape hatch that removed a resource leaves a
 * dangling reference: CloudFormation rejects the stack at deploy. The walk is
 * `danglingReferences` of @meshkit/contracts, shared with the policy pack (MESH-CFN-DANGLING-REF).
 */
export function checkReferences(world: AssemblyModel): VerifyFinding[] {
  const out: VerifyFinding[] = [];
  for (const stack of world.stacks) {
    const found = danglingReferences(stack.source.template, {
      stackName: stack.name,
      exportExists: (name) => world.exports.has(name),
      resolveName: (v) => stack.resolve(v),
    });
    for (const d of found)
      out.push({ id: 'VERIFY-FLOW-DANGLING-REF', stack: stack.name, logicalId: d.logicalId, message: d.message });
  }
  return out;
}

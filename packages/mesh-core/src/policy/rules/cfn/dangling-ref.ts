import { danglingReferences } from '@meshkit/contracts';
import { violation, type PolicyRule } from '../../rule.js';
import type { TemplateContext } from '../../template-context.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';

/** Dangling references of a template by logical id of the resource holding them (walked once per template). */
const danglingOf = (ctx: TemplateContext): ReadonlyMap<string, string[]> =>
  ctx.memo('cfn:dangling', (c) => {
    const m = new Map<string, string[]>();
    const found = danglingReferences(c.template, {
      stackName: c.stackName ?? c.key,
      // Cross-stack imports are checked against the exports of every template of the assembly.
      exportExists: (name) => c.assembly.exported(name) !== undefined,
    });
    for (const d of found) {
      let list = m.get(d.logicalId);
      if (!list) m.set(d.logicalId, (list = []));
      list.push(d.message);
    }
    return m;
  });

/** Every Ref, Fn::GetAtt, Fn::Sub reference, DependsOn and Fn::ImportValue resolves. */
export const DanglingReferenceRule: PolicyRule = {
  id: 'MESH-CFN-DANGLING-REF',
  area: 'CFN',
  title:
    'Every Ref, Fn::GetAtt, Fn::Sub reference, DependsOn and Fn::ImportValue resolves (a resource or parameter of the template, a pseudo parameter, an export of the assembly)',
  rationale:
    'Removing a resource that others reference (tryRemoveChild, addDeletionOverride on a whole resource, an override that renames it) leaves the template broken: CloudFormation rejects it at deploy, after review, or — through an import of an export nobody makes — in another stack. Synth must fail where the reference is, naming the resource that holds it. Cross-stack imports are checked against the exports of every stack of the assembly (nested stacks included).',
  fix: 'Restore the referenced resource (or export), or remove the reference from the resource named in the finding; never remove a resource another construct still uses.',
  since: MESH_POLICY_PACK_VERSION,
  check(resource, ctx) {
    const found = danglingOf(ctx).get(resource.logicalId);
    if (!found) return 'compliant';
    return violation(
      `dangling reference${found.length > 1 ? 's' : ''}: ${found.join('; ')} — CloudFormation would reject the stack at deploy; restore the target or remove the reference`,
    );
  },
};

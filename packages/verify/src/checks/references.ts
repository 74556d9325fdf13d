import type { VerifyFinding } from '../finding.js';
import type { AssemblyModel, StackModel } from '../assembly/resolve.js';

const PSEUDO = new Set(['AWS::AccountId', 'AWS::Region', 'AWS::Partition', 'AWS::URLSuffix', 'AWS::StackName', 'AWS::StackId', 'AWS::NoValue', 'AWS::NotificationARNs']);

/**
 * Every `Ref`, `Fn::GetAtt`, `Fn::Sub` reference, `DependsOn` and `Fn::ImportValue` of every
 * stack names something that exists: a resource or parameter of the stack, a pseudo parameter,
 * or an export of a stack of the assembly. An escape hatch that removed a resource leaves a
 * dangling reference: CloudFormation rejects the stack at deploy.
 */
export function checkReferences(world: AssemblyModel): VerifyFinding[] {
  const out: VerifyFinding[] = [];
  for (const stack of world.stacks) {
    const t = stack.source.template;
    for (const [logicalId, res] of Object.entries(stack.resources)) {
      const report = (message: string) => out.push({ id: 'VERIFY-FLOW-DANGLING-REF', stack: stack.name, logicalId, message });
      for (const d of typeof res.DependsOn === 'string' ? [res.DependsOn] : res.DependsOn ?? []) {
        if (!stack.resources[d]) report(`DependsOn ${d}, which is not a resource of ${stack.name}`);
      }
      walk(res.Properties, stack, world, report);
    }
    for (const [name, o] of Object.entries(t.Outputs ?? {})) {
      walk(o, stack, world, (message) => out.push({ id: 'VERIFY-FLOW-DANGLING-REF', stack: stack.name, logicalId: `Outputs.${name}`, message }));
    }
  }
  return out;
}

function walk(v: unknown, stack: StackModel, world: AssemblyModel, report: (m: string) => void): void {
  if (v === null || typeof v !== 'object') return;
  if (Array.isArray(v)) { for (const x of v) walk(x, stack, world, report); return; }
  const o = v as Record<string, unknown>;
  const exists = (id: string) => PSEUDO.has(id) || stack.resources[id] !== undefined || stack.source.template.Parameters?.[id] !== undefined;
  if ('Ref' in o && typeof o.Ref === 'string' && !exists(o.Ref)) report(`Ref ${o.Ref}: no resource or parameter of that name in ${stack.name}`);
  if ('Fn::GetAtt' in o) {
    const a = o['Fn::GetAtt'];
    const id = Array.isArray(a) ? String(a[0]) : String(a).split('.')[0]!;
    if (!stack.resources[id]) report(`Fn::GetAtt ${Array.isArray(a) ? a.join('.') : String(a)}: no resource ${id} in ${stack.name}`);
  }
  if ('Fn::Sub' in o) {
    const arg = o['Fn::Sub'];
    const [text, vars] = (Array.isArray(arg) ? arg : [arg, {}]) as [unknown, Record<string, unknown>];
    if (typeof text === 'string') {
      for (const m of text.matchAll(/\$\{(?!!)([^}]*)\}/g)) {
        const name = m[1]!;
        if (vars && name in vars) continue;
        const id = name.startsWith('AWS::') ? name : name.split('.')[0]!;
        if (!exists(id)) report(`Fn::Sub \${${name}}: no resource or parameter ${id} in ${stack.name}`);
      }
    }
  }
  if ('Fn::ImportValue' in o) {
    const name = stack.resolve(o['Fn::ImportValue']);
    if (typeof name === 'string' && !world.exports.has(name)) report(`Fn::ImportValue ${name}: no stack of the assembly exports it`);
  }
  for (const x of Object.values(o)) walk(x, stack, world, report);
}

/**
 * Dangling references of a CloudFormation template: every `Ref`, `Fn::GetAtt`, `Fn::Sub`
 * reference, `DependsOn` and `Fn::ImportValue` must name something that exists — a resource or
 * parameter of the template, a pseudo parameter, or an export of a stack of the assembly. An
 * escape hatch that removed a resource others use leaves one behind: CloudFormation rejects the
 * stack at deploy. Pure JSON walk, shared by the policy pack (`MESH-CFN-DANGLING-REF`, at synth)
 * and `mesh verify` (`VERIFY-FLOW-DANGLING-REF`).
 */

/** Pseudo parameters, always resolvable by `Ref` and `${…}`. */
export const CFN_PSEUDO_PARAMETERS: ReadonlySet<string> = new Set([
  'AWS::AccountId',
  'AWS::Region',
  'AWS::Partition',
  'AWS::URLSuffix',
  'AWS::StackName',
  'AWS::StackId',
  'AWS::NoValue',
  'AWS::NotificationARNs',
]);

/** One dangling reference: where it is (a resource's logical id, or `Outputs.<name>`) and what it names. */
export interface DanglingReference {
  /** Logical id of the resource holding the reference, or `Outputs.<name>`. */
  readonly logicalId: string;
  /** What the reference names and why it does not resolve. */
  readonly message: string;
}

/** Options of {@link danglingReferences}. */
export interface DanglingReferencesOptions {
  /** Name of the stack, in messages. @default 'the stack' */
  readonly stackName?: string;
  /**
   * Whether an export name exists in the assembly. `undefined` (the default) skips `Fn::ImportValue`
   * (a template checked alone cannot know the other stacks' exports).
   */
  readonly exportExists?: (name: string) => boolean;
  /**
   * The export name of an `Fn::ImportValue` argument, when it is not a literal string (e.g. `Fn::Sub`
   * over pseudo parameters); `undefined` when it cannot be known (then it is not checked).
   * @default - only literal names are checked
   */
  readonly resolveName?: (value: unknown) => unknown;
}

interface TemplateLike {
  Resources?: Record<string, { Properties?: unknown; DependsOn?: unknown; [k: string]: unknown } | undefined>;
  Parameters?: Record<string, unknown>;
  Outputs?: Record<string, unknown>;
}

/** Every dangling reference of `template` (resources' `Properties`, `DependsOn`, and `Outputs`). */
export function danglingReferences(template: object, options: DanglingReferencesOptions = {}): DanglingReference[] {
  const t = template as TemplateLike;
  const resources = t.Resources ?? {};
  const params = t.Parameters ?? {};
  const stack = options.stackName ?? 'the stack';
  const out: DanglingReference[] = [];
  const isResource = (id: string) => Object.prototype.hasOwnProperty.call(resources, id);
  const exists = (id: string) =>
    CFN_PSEUDO_PARAMETERS.has(id) || isResource(id) || Object.prototype.hasOwnProperty.call(params, id);
  const walk = (v: unknown, report: (m: string) => void): void => {
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x, report);
      return;
    }
    const o = v as Record<string, unknown>;
    if (typeof o.Ref === 'string' && !exists(o.Ref))
      report(`Ref ${o.Ref}: no resource or parameter of that name in ${stack}`);
    if ('Fn::GetAtt' in o) {
      const a = o['Fn::GetAtt'];
      const id = Array.isArray(a) ? String(a[0]) : String(a).split('.')[0]!;
      if (!isResource(id))
        report(`Fn::GetAtt ${Array.isArray(a) ? a.join('.') : String(a)}: no resource ${id} in ${stack}`);
    }
    if ('Fn::Sub' in o) {
      const arg = o['Fn::Sub'];
      const [text, vars] = (Array.isArray(arg) ? arg : [arg, {}]) as [unknown, Record<string, unknown> | undefined];
      if (typeof text === 'string') {
        for (const m of text.matchAll(/\$\{(?!!)([^}]*)\}/g)) {
          const name = m[1]!;
          if (vars && typeof vars === 'object' && name in vars) continue;
          const id = name.startsWith('AWS::') ? name : name.split('.')[0]!;
          if (!exists(id)) report(`Fn::Sub \${${name}}: no resource or parameter ${id} in ${stack}`);
        }
      }
    }
    if ('Fn::ImportValue' in o && options.exportExists) {
      const arg = o['Fn::ImportValue'];
      const name = typeof arg === 'string' ? arg : options.resolveName?.(arg);
      if (typeof name === 'string' && !options.exportExists(name))
        report(`Fn::ImportValue ${name}: no stack of the assembly exports it`);
    }
    for (const k in o) walk(o[k], report);
  };
  for (const logicalId of Object.keys(resources)) {
    const res = resources[logicalId];
    if (!res || typeof res !== 'object') continue;
    const report = (message: string) => out.push({ logicalId, message });
    const deps = res.DependsOn;
    for (const d of typeof deps === 'string' ? [deps] : Array.isArray(deps) ? deps : []) {
      if (typeof d === 'string' && !isResource(d)) report(`DependsOn ${d}, which is not a resource of ${stack}`);
    }
    walk(res.Properties, report);
  }
  for (const [name, o] of Object.entries(t.Outputs ?? {})) {
    walk(o, (message) => out.push({ logicalId: `Outputs.${name}`, message }));
  }
  return out;
}

import type { Unresolved } from '../iam/types.js';
import type { AssemblyStack, CloudAssembly, TemplateResource } from './load.js';

/** A template value with its intrinsics resolved; what could not be resolved is {@link Unresolved}. */
export type Resolved = string | number | boolean | null | Unresolved | Resolved[] | { [k: string]: Resolved };

/** Account assumed for environment-agnostic stacks (they all deploy to one account). */
export const AGNOSTIC_ACCOUNT = '000000000000';
/** Region assumed for environment-agnostic stacks. */
export const AGNOSTIC_REGION = 'home-region-1';

export const isUnresolved = (v: unknown): v is Unresolved =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  typeof (v as Unresolved).unresolved === 'string' &&
  Object.keys(v).length === 1;

/** A resource of the assembly: where it is and what it is. */
export interface ResourceRef {
  stack: StackModel;
  logicalId: string;
  resource: TemplateResource;
}

const NO_VALUE = Symbol('AWS::NoValue');

/** One stack with its account, region and a resolver of its values. */
export class StackModel {
  readonly name: string;
  readonly file: string;
  readonly account: string;
  readonly region: string;
  readonly resources: Record<string, TemplateResource>;

  constructor(
    readonly source: AssemblyStack,
    private readonly world: AssemblyModel,
  ) {
    this.name = source.name;
    this.file = source.file;
    this.account = source.account ?? AGNOSTIC_ACCOUNT;
    this.region = source.region ?? AGNOSTIC_REGION;
    this.resources = source.template.Resources ?? {};
  }

  /** The resolved value of `value` (any part of this stack's template). */
  resolve(value: unknown): Resolved {
    const r = this.#resolve(value, 0);
    return r === NO_VALUE ? null : r;
  }

  /** The resolved value as a string, or undefined when it is not one. */
  str(value: unknown): string | undefined {
    const r = this.resolve(value);
    return typeof r === 'string' ? r : undefined;
  }

  /** A resource's properties, resolved. */
  props(logicalId: string): Record<string, Resolved> {
    const r = this.resolve(this.resources[logicalId]?.Properties ?? {});
    return r !== null && typeof r === 'object' && !Array.isArray(r) && !isUnresolved(r) ? r : {};
  }

  /** What `Ref` of a resource returns (its physical name or id, as the model names it). */
  ref(logicalId: string): Resolved {
    const res = this.resources[logicalId];
    if (!res) {
      const param = this.source.template.Parameters?.[logicalId];
      if (param)
        return param.Default !== undefined
          ? this.resolve(param.Default)
          : { unresolved: `parameter ${logicalId} of ${this.name}` };
      return { unresolved: `Ref ${logicalId}: no such resource or parameter in ${this.name}` };
    }
    const p = res.Properties ?? {};
    const named = (key: string, fallback = this.generatedName(logicalId)) =>
      p[key] !== undefined ? this.resolve(p[key]) : fallback;
    switch (res.Type) {
      case 'AWS::S3::Bucket':
        return named('BucketName', this.generatedName(logicalId).toLowerCase());
      case 'AWS::IAM::Role':
        return named('RoleName');
      case 'AWS::IAM::User':
        return named('UserName');
      case 'AWS::IAM::Group':
        return named('GroupName');
      case 'AWS::IAM::ManagedPolicy':
        return this.arn('iam', '', `policy/${this.generatedName(logicalId)}`, '');
      case 'AWS::KMS::Key':
        return `key-${this.generatedName(logicalId)}`;
      case 'AWS::KMS::Alias':
        return named('AliasName');
      case 'AWS::Glue::Job':
      case 'AWS::Glue::Trigger':
      case 'AWS::Glue::Workflow':
      case 'AWS::Glue::DataQualityRuleset':
      case 'AWS::Glue::SecurityConfiguration':
      case 'AWS::Athena::WorkGroup':
        return named('Name');
      case 'AWS::Glue::Database':
        return (p.DatabaseInput as { Name?: unknown } | undefined)?.Name !== undefined
          ? this.resolve((p.DatabaseInput as { Name: unknown }).Name)
          : this.generatedName(logicalId);
      case 'AWS::Glue::Table':
        return (p.TableInput as { Name?: unknown } | undefined)?.Name !== undefined
          ? this.resolve((p.TableInput as { Name: unknown }).Name)
          : this.generatedName(logicalId);
      case 'AWS::Kinesis::Stream':
        return named('Name');
      case 'AWS::KinesisFirehose::DeliveryStream':
        return named('DeliveryStreamName');
      case 'AWS::SNS::Topic':
        return this.arn(
          'sns',
          this.region,
          p.TopicName !== undefined ? String(this.resolve(p.TopicName)) : this.generatedName(logicalId),
        );
      case 'AWS::SQS::Queue':
        return `https://sqs.${this.region}.amazonaws.com/${this.account}/${p.QueueName !== undefined ? String(this.resolve(p.QueueName)) : this.generatedName(logicalId)}`;
      case 'AWS::Logs::LogGroup':
        return named('LogGroupName');
      case 'AWS::Events::Rule':
        return named('Name');
      case 'AWS::Lambda::Function':
        return named('FunctionName');
      default:
        return `${this.name}/${logicalId}`;
    }
  }

  /** What `Fn::GetAtt` of a resource returns. */
  getAtt(logicalId: string, attribute: string): Resolved {
    const res = this.resources[logicalId];
    if (!res) return { unresolved: `Fn::GetAtt ${logicalId}.${attribute}: no such resource in ${this.name}` };
    const name = this.ref(logicalId);
    if (typeof name !== 'string') return name;
    const p = res.Properties ?? {};
    if (attribute === 'Arn') {
      switch (res.Type) {
        case 'AWS::S3::Bucket':
          return `arn:aws:s3:::${name}`;
        case 'AWS::IAM::Role':
          return this.arn('iam', '', `role${typeof p.Path === 'string' ? p.Path : '/'}${name}`);
        case 'AWS::IAM::User':
          return this.arn('iam', '', `user${typeof p.Path === 'string' ? p.Path : '/'}${name}`);
        case 'AWS::IAM::Group':
          return this.arn('iam', '', `group${typeof p.Path === 'string' ? p.Path : '/'}${name}`);
        case 'AWS::KMS::Key':
          return this.arn('kms', this.region, `key/${name}`);
        case 'AWS::Kinesis::Stream':
          return this.arn('kinesis', this.region, `stream/${name}`);
        case 'AWS::KinesisFirehose::DeliveryStream':
          return this.arn('firehose', this.region, `deliverystream/${name}`);
        case 'AWS::Logs::LogGroup':
          return this.arn('logs', this.region, `log-group:${name}:*`);
        case 'AWS::Events::Rule':
          return this.arn('events', this.region, `rule/${name}`);
        case 'AWS::SQS::Queue':
          return this.arn('sqs', this.region, name.split('/').pop()!);
        case 'AWS::Lambda::Function':
          return this.arn('lambda', this.region, `function:${name}`);
        case 'AWS::SNS::Topic':
          return name;
        default:
          return this.arn(res.Type.split('::')[1]!.toLowerCase(), this.region, `${logicalId}`);
      }
    }
    if (res.Type === 'AWS::SNS::Topic' && (attribute === 'TopicArn' || attribute === 'TopicName'))
      return attribute === 'TopicArn' ? name : name.split(':').pop()!;
    if (res.Type === 'AWS::KMS::Key' && attribute === 'KeyId') return name;
    if (res.Type === 'AWS::S3::Bucket' && /DomainName$/.test(attribute)) return `${name}.s3.amazonaws.com`;
    return `${this.name}/${logicalId}.${attribute}`;
  }

  /** The name CloudFormation would generate, as the model spells it. */
  generatedName(logicalId: string): string {
    return `${this.name}-${logicalId}`;
  }

  private arn(service: string, region: string, resource: string, account = this.account): string {
    return `arn:aws:${service}:${region}:${account}:${resource}`;
  }

  #resolve(v: unknown, depth: number): Resolved | typeof NO_VALUE {
    if (depth > 64) return { unresolved: 'value nested too deeply' };
    if (v === null || typeof v !== 'object') return (v as Resolved) ?? null;
    if (Array.isArray(v)) return v.map((x) => this.#resolve(x, depth + 1)).filter((x): x is Resolved => x !== NO_VALUE);
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1) {
      const k = keys[0]!;
      const arg = o[k];
      if (k === 'Ref') return this.#ref(String(arg));
      if (k === 'Fn::GetAtt') {
        const [id, attr] = Array.isArray(arg) ? arg : String(arg).split(/\.(.*)/s);
        return this.getAtt(String(id), String(attr));
      }
      if (k === 'Fn::Join') {
        const [sep, items] = (Array.isArray(arg) ? arg : []) as [unknown, unknown];
        const parts = this.#resolve(items, depth + 1);
        if (!Array.isArray(parts)) return { unresolved: `Fn::Join of ${JSON.stringify(items)}` };
        const bad = parts.find((x) => typeof x !== 'string' && typeof x !== 'number');
        if (bad !== undefined)
          return { unresolved: `Fn::Join with ${isUnresolved(bad) ? bad.unresolved : JSON.stringify(bad)}` };
        return parts.join(String(sep));
      }
      if (k === 'Fn::Sub') return this.#sub(arg, depth);
      if (k === 'Fn::Select') {
        const [i, list] = (Array.isArray(arg) ? arg : []) as [unknown, unknown];
        const items = this.#resolve(list, depth + 1);
        const index = Number(this.#resolve(i, depth + 1));
        return Array.isArray(items) && items[index] !== undefined
          ? items[index]!
          : { unresolved: `Fn::Select ${String(i)}` };
      }
      if (k === 'Fn::Split') {
        const [sep, s] = (Array.isArray(arg) ? arg : []) as [unknown, unknown];
        const text = this.#resolve(s, depth + 1);
        return typeof text === 'string' ? text.split(String(sep)) : { unresolved: 'Fn::Split of an unresolved value' };
      }
      if (k === 'Fn::ImportValue') {
        const name = this.#resolve(arg, depth + 1);
        if (typeof name !== 'string') return { unresolved: 'Fn::ImportValue of an unresolved name' };
        return this.world.importValue(name);
      }
      if (k === 'Fn::GetAZs') return [`${this.region}a`, `${this.region}b`, `${this.region}c`];
      if (k === 'Fn::Base64') return this.#resolve(arg, depth + 1);
      if (k === 'Fn::FindInMap') {
        const [m, a, b] = ((Array.isArray(arg) ? arg : []) as unknown[]).map((x) => this.#resolve(x, depth + 1));
        const hit = this.source.template.Mappings?.[String(m)]?.[String(a)]?.[String(b)];
        return hit === undefined
          ? { unresolved: `Fn::FindInMap ${String(m)}.${String(a)}.${String(b)}` }
          : this.#resolve(hit, depth + 1);
      }
      if (k === 'Fn::If') return { unresolved: `Fn::If ${JSON.stringify(Array.isArray(arg) ? arg[0] : arg)}` };
      if (k.startsWith('Fn::')) return { unresolved: `${k} is not interpreted` };
    }
    const out: Record<string, Resolved> = {};
    for (const [k, x] of Object.entries(o)) {
      const r = this.#resolve(x, depth + 1);
      if (r !== NO_VALUE) out[k] = r;
    }
    return out;
  }

  #ref(id: string): Resolved | typeof NO_VALUE {
    switch (id) {
      case 'AWS::AccountId':
        return this.account;
      case 'AWS::Region':
        return this.region;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return this.name;
      case 'AWS::StackId':
        return this.arn('cloudformation', this.region, `stack/${this.name}/id`);
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::NotificationARNs':
        return [];
      default:
        return this.ref(id);
    }
  }

  #sub(arg: unknown, depth: number): Resolved {
    const [text, vars] = (Array.isArray(arg) ? arg : [arg, {}]) as [unknown, Record<string, unknown>];
    if (typeof text !== 'string') return { unresolved: 'Fn::Sub of a non-string' };
    let bad: Resolved | undefined;
    const out = text.replace(/\$\{(!?)([^}]*)\}/g, (all, bang: string, name: string) => {
      if (bang) return `\${${name}}`;
      let r: Resolved | typeof NO_VALUE;
      if (vars && name in vars) r = this.#resolve(vars[name], depth + 1);
      else if (name.includes('.') && !name.startsWith('AWS::')) {
        const [id, attr] = name.split(/\.(.*)/s);
        r = this.getAtt(id!, attr!);
      } else r = this.#ref(name);
      if (typeof r === 'string' || typeof r === 'number') return String(r);
      bad = r === NO_VALUE ? { unresolved: all } : r;
      return all;
    });
    return bad !== undefined
      ? { unresolved: `Fn::Sub ${text}: ${isUnresolved(bad) ? bad.unresolved : 'non-string value'}` }
      : out;
  }
}

/** Every stack of an assembly, with cross-stack exports resolved. */
export class AssemblyModel {
  readonly stacks: StackModel[];
  readonly byName = new Map<string, StackModel>();
  /** Export name → the stack and output value that exports it. */
  readonly exports = new Map<string, { stack: StackModel; value: unknown }>();
  readonly #importing = new Set<string>();

  constructor(readonly assembly: CloudAssembly) {
    this.stacks = assembly.stacks.map((s) => new StackModel(s, this));
    for (const s of this.stacks) {
      this.byName.set(s.name, s);
      for (const out of Object.values(s.source.template.Outputs ?? {})) {
        const name = out.Export?.Name;
        const resolved = name === undefined ? undefined : s.resolve(name);
        if (typeof resolved === 'string') this.exports.set(resolved, { stack: s, value: out.Value });
      }
    }
  }

  /** The value of an export, resolved in its own stack. */
  importValue(name: string): Resolved {
    const hit = this.exports.get(name);
    if (!hit) return { unresolved: `Fn::ImportValue ${name}: no stack of the assembly exports it` };
    if (this.#importing.has(name)) return { unresolved: `Fn::ImportValue ${name}: circular` };
    this.#importing.add(name);
    try {
      return hit.stack.resolve(hit.value);
    } finally {
      this.#importing.delete(name);
    }
  }

  /** Every resource of a type, in every stack. */
  resourcesOfType(type: string): ResourceRef[] {
    const out: ResourceRef[] = [];
    for (const stack of this.stacks) {
      for (const [logicalId, resource] of Object.entries(stack.resources))
        if (resource.Type === type) out.push({ stack, logicalId, resource });
    }
    return out;
  }
}

import { PRODUCT_INTENT_METADATA_KEY, type ProductIntent } from '@meshkit/contracts';
import type { PolicyDocument } from './iam/types.js';
import { AssemblyModel, isUnresolved, type Resolved, type StackModel } from './assembly/resolve.js';
import type { CloudAssembly } from './assembly/load.js';

/** Where a resource is: `<stack>/<logical id>`. */
export interface Located {
  stack: StackModel;
  logicalId: string;
}

export interface RoleModel extends Located {
  arn: string;
  /** An IAM role or an IAM user. */
  principalKind: 'role' | 'user';
  /** Identity policies: inline, attached `AWS::IAM::Policy`/`ManagedPolicy` of the assembly. */
  policies: PolicyDocument[];
  /** Managed policy ARNs the assembly does not define (their content is unknown). */
  unknownManagedPolicies: string[];
  trust: Resolved;
}

export interface BucketModel extends Located {
  name: string;
  arn: string;
  kmsKeyArn?: string;
  policy?: PolicyDocument;
  /** `<domain>/<product>` and zone, from the bucket's Meshkit metadata. */
  product?: string;
  zone?: 'raw' | 'curated';
  eventBridge: boolean;
}

export interface KeyModel extends Located {
  arn: string;
  policy?: PolicyDocument;
  aliases: string[];
}

export interface TableModel extends Located {
  database: string;
  name: string;
  columns: string[];
  location?: string;
  /** For a resource link: the table it points at. */
  target?: { catalogId: string; database: string; name: string };
}

export interface JobModel extends Located {
  name: string;
  roleArn?: string;
  args: Record<string, string>;
}

export interface TriggerModel extends Located {
  name?: string;
  type: string;
  workflow?: string;
  jobNames: string[];
  startOnCreation: boolean;
  predicateJobs: string[];
}

export interface RuleModel extends Located {
  /** `State` is not DISABLED. */
  enabled: boolean;
  pattern: Resolved;
  targets: Array<{ arn: string; roleArn?: string }>;
}

export interface FirehoseModel extends Located {
  name: string;
  roleArn?: string;
  bucketArn?: string;
  prefix?: string;
  outputFormat?: 'parquet' | 'orc' | 'json';
}

/** One Lake Formation grant of the assembly. */
export interface LfGrant extends Located {
  principal: string;
  permissions: string[];
  grantable: string[];
  /** What it covers. */
  resource:
    | { kind: 'table'; catalog: string; database: string; table: string | '*'; columns?: string[]; excluded?: string[] }
    | {
        kind: 'tag-policy';
        catalog: string;
        resourceType: string;
        expression: Array<{ key: string; values: string[] }>;
      }
    | { kind: 'other'; description: string };
  /** Meshkit's `meshkit:consumes` metadata of the grant (which edge it serves). */
  consumes?: { product: string; columns?: string[] };
}

export interface LfTagAssociation extends Located {
  database: string;
  table?: string;
  columns?: string[];
  tags: Record<string, string[]>;
}

export interface LfLocation extends Located {
  resourceArn: string;
  roleArn?: string;
  serviceLinkedRole: boolean;
}

/** Everything `mesh verify` reasons about, indexed. */
export interface MeshModel {
  assembly: AssemblyModel;
  products: Array<{ intent: ProductIntent; stack: StackModel }>;
  roles: Map<string, RoleModel>;
  buckets: Map<string, BucketModel>;
  keys: Map<string, KeyModel>;
  tables: Map<string, TableModel>;
  jobs: Map<string, JobModel>;
  triggers: TriggerModel[];
  workflows: Map<string, Located>;
  rules: RuleModel[];
  firehoses: FirehoseModel[];
  streams: Map<string, Located>;
  rulesets: Array<Located & { name?: string; database?: string; table?: string }>;
  alarms: Array<Located & { dimensions: Record<string, string> }>;
  grants: LfGrant[];
  tagAssociations: LfTagAssociation[];
  locations: LfLocation[];
  /** The raw and curated zone buckets of each product (`<domain>/<product>`). */
  productBuckets: Map<string, BucketModel[]>;
  /** Lake Formation data lake settings per account: Full Table Access allowed? */
  lakeSettings: Map<string, { fullTableAccess: boolean }>;
}

const asString = (r: Resolved | undefined): string | undefined => (typeof r === 'string' ? r : undefined);
const asRecord = (r: Resolved | undefined): Record<string, Resolved> =>
  r && typeof r === 'object' && !Array.isArray(r) && !isUnresolved(r) ? r : {};
const asArray = (r: Resolved | undefined): Resolved[] =>
  Array.isArray(r) ? r : r === undefined || r === null ? [] : [r];
const strings = (r: Resolved | undefined): string[] => asArray(r).filter((x): x is string => typeof x === 'string');
export const tableKey = (database: string, table: string): string => `${database}.${table}`;

/** Appends `value` to the list of `key` in a multimap. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Builds the model of a cloud assembly. */
export function buildModel(assembly: CloudAssembly): MeshModel {
  const world = new AssemblyModel(assembly);
  const m: MeshModel = {
    assembly: world,
    products: [],
    roles: new Map(),
    buckets: new Map(),
    keys: new Map(),
    tables: new Map(),
    jobs: new Map(),
    triggers: [],
    workflows: new Map(),
    rules: [],
    firehoses: [],
    streams: new Map(),
    rulesets: [],
    alarms: [],
    grants: [],
    tagAssociations: [],
    locations: [],
    productBuckets: new Map(),
    lakeSettings: new Map(),
  };
  const attached = new Map<string, PolicyDocument[]>(); // `role:<name>`, `user:<name>`, `group:<name>` → attached documents
  const managed = new Map<string, PolicyDocument>(); // managed policy ARN → document
  const groupsOfUser = new Map<string, string[]>(); // user name → group names
  const attach = (key: string, doc: PolicyDocument) => pushTo(attached, key, doc);
  const attachAll = (props: Record<string, Resolved>, doc: PolicyDocument) => {
    for (const r of strings(props.Roles)) attach(`role:${r}`, doc);
    for (const u of strings(props.Users)) attach(`user:${u}`, doc);
    for (const g of strings(props.Groups)) attach(`group:${g}`, doc);
  };
  const bucketPolicies = new Map<string, PolicyDocument>();

  for (const stack of world.stacks) {
    const intent = stack.source.template.Metadata?.[PRODUCT_INTENT_METADATA_KEY] as ProductIntent | undefined;
    if (intent && typeof intent === 'object') m.products.push({ intent, stack });
    for (const [logicalId, res] of Object.entries(stack.resources)) {
      const at = { stack, logicalId };
      const p = () => stack.props(logicalId);
      switch (res.Type) {
        case 'AWS::IAM::Policy': {
          const props = p();
          attachAll(props, props.PolicyDocument as unknown as PolicyDocument);
          break;
        }
        case 'AWS::IAM::RolePolicy':
        case 'AWS::IAM::UserPolicy':
        case 'AWS::IAM::GroupPolicy': {
          const props = p();
          const [kind, key] =
            res.Type === 'AWS::IAM::RolePolicy'
              ? ['role', 'RoleName']
              : res.Type === 'AWS::IAM::UserPolicy'
                ? ['user', 'UserName']
                : ['group', 'GroupName'];
          const name = asString(props[key]);
          if (name) attach(`${kind}:${name}`, props.PolicyDocument as unknown as PolicyDocument);
          break;
        }
        case 'AWS::IAM::UserToGroupAddition': {
          const props = p();
          const group = asString(props.GroupName);
          if (group) for (const u of strings(props.Users)) pushTo(groupsOfUser, u, group);
          break;
        }
        case 'AWS::IAM::Group': {
          const props = p();
          const name = asString(stack.ref(logicalId));
          if (name)
            for (const x of asArray(props.Policies))
              attach(`group:${name}`, asRecord(x).PolicyDocument as unknown as PolicyDocument);
          break;
        }
        case 'AWS::LakeFormation::DataLakeSettings': {
          const props = p();
          if (props.AllowFullTableExternalDataAccess === true)
            m.lakeSettings.set(stack.account, { fullTableAccess: true });
          else if (!m.lakeSettings.has(stack.account)) m.lakeSettings.set(stack.account, { fullTableAccess: false });
          break;
        }
        case 'AWS::IAM::ManagedPolicy': {
          const props = p();
          const doc = props.PolicyDocument as unknown as PolicyDocument;
          const arn = asString(stack.ref(logicalId));
          if (arn) managed.set(arn, doc);
          attachAll(props, doc);
          break;
        }
        case 'AWS::S3::BucketPolicy': {
          const props = p();
          const bucket = asString(props.Bucket);
          if (bucket) bucketPolicies.set(bucket, props.PolicyDocument as unknown as PolicyDocument);
          break;
        }
        case 'AWS::KMS::Key': {
          const arn = asString(stack.getAtt(logicalId, 'Arn'));
          if (arn) m.keys.set(arn, { ...at, arn, policy: p().KeyPolicy as unknown as PolicyDocument, aliases: [] });
          break;
        }
        case 'AWS::Glue::Table': {
          const props = p();
          const input = asRecord(props.TableInput);
          const sd = asRecord(input.StorageDescriptor);
          const names = (cols: Resolved | undefined) =>
            asArray(cols)
              .map((c) => asString(asRecord(c).Name))
              .filter((c): c is string => c !== undefined);
          const database = asString(props.DatabaseName);
          const name = asString(input.Name);
          const target = asRecord(input.TargetTable);
          if (database && name) {
            m.tables.set(tableKey(database, name), {
              ...at,
              database,
              name,
              columns: [...names(sd.Columns), ...names(input.PartitionKeys)],
              ...(asString(sd.Location) ? { location: asString(sd.Location)! } : {}),
              ...(Object.keys(target).length
                ? {
                    target: {
                      catalogId: asString(target.CatalogId) ?? stack.account,
                      database: asString(target.DatabaseName) ?? '?',
                      name: asString(target.Name) ?? '?',
                    },
                  }
                : {}),
            });
          }
          break;
        }
        case 'AWS::Glue::Job': {
          const props = p();
          const name = asString(props.Name) ?? stack.generatedName(logicalId);
          const args: Record<string, string> = {};
          for (const [k, v] of Object.entries(asRecord(props.DefaultArguments)))
            args[k] = typeof v === 'string' ? v : isUnresolved(v) ? `<${v.unresolved}>` : JSON.stringify(v);
          m.jobs.set(name, { ...at, name, ...(asString(props.Role) ? { roleArn: asString(props.Role)! } : {}), args });
          break;
        }
        case 'AWS::Glue::Trigger': {
          const props = p();
          const actions = asArray(props.Actions)
            .map((a) => asString(asRecord(a).JobName))
            .filter((j): j is string => j !== undefined);
          const conditions = asArray(asRecord(props.Predicate).Conditions)
            .map((c) => asString(asRecord(c).JobName))
            .filter((j): j is string => j !== undefined);
          m.triggers.push({
            ...at,
            type: asString(props.Type) ?? '?',
            jobNames: actions,
            startOnCreation: props.StartOnCreation === true,
            predicateJobs: conditions,
            ...(asString(props.Name) ? { name: asString(props.Name)! } : {}),
            ...(asString(props.WorkflowName) ? { workflow: asString(props.WorkflowName)! } : {}),
          });
          break;
        }
        case 'AWS::Glue::Workflow':
          m.workflows.set(asString(p().Name) ?? stack.generatedName(logicalId), at);
          break;
        case 'AWS::Events::Rule': {
          const props = p();
          m.rules.push({
            ...at,
            enabled: props.State !== 'DISABLED',
            pattern: props.EventPattern ?? null,
            targets: asArray(props.Targets).map((t) => ({
              arn: asString(asRecord(t).Arn) ?? '',
              ...(asString(asRecord(t).RoleArn) ? { roleArn: asString(asRecord(t).RoleArn)! } : {}),
            })),
          });
          break;
        }
        case 'AWS::KinesisFirehose::DeliveryStream': {
          const props = p();
          const dest = asRecord(props.ExtendedS3DestinationConfiguration);
          const conv = asRecord(dest.DataFormatConversionConfiguration);
          const ser = asRecord(asRecord(conv.OutputFormatConfiguration).Serializer);
          const outputFormat =
            conv.Enabled === true
              ? 'ParquetSerDe' in ser
                ? 'parquet'
                : 'OrcSerDe' in ser
                  ? 'orc'
                  : undefined
              : 'json';
          m.firehoses.push({
            ...at,
            name: asString(stack.ref(logicalId)) ?? logicalId,
            ...(asString(dest.RoleARN) ? { roleArn: asString(dest.RoleARN)! } : {}),
            ...(asString(dest.BucketARN) ? { bucketArn: asString(dest.BucketARN)! } : {}),
            ...(asString(dest.Prefix) !== undefined ? { prefix: asString(dest.Prefix)! } : {}),
            ...(outputFormat ? { outputFormat } : {}),
          });
          break;
        }
        case 'AWS::Kinesis::Stream':
          m.streams.set(asString(stack.ref(logicalId)) ?? logicalId, at);
          break;
        case 'AWS::Glue::DataQualityRuleset': {
          const props = p();
          const target = asRecord(props.TargetTable);
          m.rulesets.push({
            ...at,
            ...(asString(props.Name) ? { name: asString(props.Name)! } : {}),
            ...(asString(target.DatabaseName) ? { database: asString(target.DatabaseName)! } : {}),
            ...(asString(target.TableName) ? { table: asString(target.TableName)! } : {}),
          });
          break;
        }
        case 'AWS::CloudWatch::Alarm': {
          const dims: Record<string, string> = {};
          for (const d of asArray(p().Dimensions)) {
            const n = asString(asRecord(d).Name);
            const v = asRecord(d).Value;
            if (n) dims[n] = typeof v === 'string' ? v : isUnresolved(v) ? `<${v.unresolved}>` : String(v);
          }
          m.alarms.push({ ...at, dimensions: dims });
          break;
        }
        case 'AWS::LakeFormation::PrincipalPermissions':
        case 'AWS::LakeFormation::Permissions':
          m.grants.push(lfGrant(stack, logicalId, res.Type));
          break;
        case 'AWS::LakeFormation::TagAssociation': {
          const props = p();
          const r = asRecord(props.Resource);
          const tags: Record<string, string[]> = {};
          for (const t of asArray(props.LFTags)) {
            const k = asString(asRecord(t).TagKey);
            if (k) tags[k] = strings(asRecord(t).TagValues);
          }
          const table = asRecord(r.Table);
          const twc = asRecord(r.TableWithColumns);
          const db = asRecord(r.Database);
          if (Object.keys(twc).length)
            m.tagAssociations.push({
              ...at,
              database: asString(twc.DatabaseName) ?? '?',
              table: asString(twc.Name) ?? '?',
              columns: strings(twc.ColumnNames),
              tags,
            });
          else if (Object.keys(table).length)
            m.tagAssociations.push({
              ...at,
              database: asString(table.DatabaseName) ?? '?',
              table: asString(table.Name) ?? '?',
              tags,
            });
          else if (Object.keys(db).length) m.tagAssociations.push({ ...at, database: asString(db.Name) ?? '?', tags });
          break;
        }
        case 'AWS::LakeFormation::Resource': {
          const props = p();
          m.locations.push({
            ...at,
            resourceArn: asString(props.ResourceArn) ?? '?',
            ...(asString(props.RoleArn) ? { roleArn: asString(props.RoleArn)! } : {}),
            serviceLinkedRole: props.UseServiceLinkedRole === true,
          });
          break;
        }
        default:
          break;
      }
    }
  }

  // Second pass: things that need the first (bucket policies, aliases, role policies).
  for (const stack of world.stacks) {
    for (const [logicalId, res] of Object.entries(stack.resources)) {
      const at = { stack, logicalId };
      if (res.Type === 'AWS::S3::Bucket') {
        const name = asString(stack.ref(logicalId)) ?? logicalId;
        const props = stack.props(logicalId);
        const sse = asArray(asRecord(props.BucketEncryption).ServerSideEncryptionConfiguration).map((c) =>
          asRecord(asRecord(c).ServerSideEncryptionByDefault),
        );
        const kms = sse.map((d) => asString(d.KMSMasterKeyID)).find((k) => k !== undefined);
        const meta = (res.Metadata?.['meshkit:product'] ?? res.Metadata?.['meshkit:landing']) as
          { domain?: string; product?: string; zone?: 'raw' | 'curated' } | undefined;
        const eventBridge =
          asRecord(asRecord(props.NotificationConfiguration).EventBridgeConfiguration).EventBridgeEnabled === true;
        m.buckets.set(name, {
          ...at,
          name,
          arn: `arn:aws:s3:::${name}`,
          eventBridge,
          ...(kms ? { kmsKeyArn: kms } : {}),
          ...(bucketPolicies.get(name) ? { policy: bucketPolicies.get(name)! } : {}),
          ...(meta?.domain && meta.product
            ? { product: `${meta.domain}/${meta.product}`, zone: meta.zone ?? 'curated' }
            : {}),
        });
      } else if (res.Type === 'AWS::KMS::Alias') {
        const props = stack.props(logicalId);
        const target = asString(props.TargetKeyId);
        const key = [...m.keys.values()].find((k) => k.arn === target || k.arn.endsWith(`/${target}`));
        const alias = asString(props.AliasName);
        if (key && alias) key.aliases.push(alias);
      } else if (res.Type === 'AWS::IAM::Role' || res.Type === 'AWS::IAM::User') {
        const kind = res.Type === 'AWS::IAM::Role' ? 'role' : 'user';
        const props = stack.props(logicalId);
        const name = asString(stack.ref(logicalId)) ?? logicalId;
        const arn = asString(stack.getAtt(logicalId, 'Arn')) ?? `${stack.name}/${logicalId}`;
        const inline = asArray(props.Policies).map((x) => asRecord(x).PolicyDocument as unknown as PolicyDocument);
        const managedArns = strings(props.ManagedPolicyArns);
        const groups = kind === 'user' ? [...strings(props.Groups), ...(groupsOfUser.get(name) ?? [])] : [];
        m.roles.set(arn, {
          ...at,
          arn,
          principalKind: kind,
          trust: props.AssumeRolePolicyDocument ?? null,
          policies: [
            ...inline,
            ...(attached.get(`${kind}:${name}`) ?? []),
            ...groups.flatMap((g) => attached.get(`group:${g}`) ?? []),
            ...managedArns.filter((a) => managed.has(a)).map((a) => managed.get(a)!),
          ],
          unknownManagedPolicies: managedArns.filter((a) => !managed.has(a)),
        });
      }
    }
  }
  for (const b of m.buckets.values()) if (b.product) pushTo(m.productBuckets, b.product, b);
  return m;
}

function lfGrant(stack: StackModel, logicalId: string, type: string): LfGrant {
  const props = stack.props(logicalId);
  const isPrincipalPermissions = type === 'AWS::LakeFormation::PrincipalPermissions';
  const principal =
    asString(
      asRecord(isPrincipalPermissions ? props.Principal : props.DataLakePrincipal).DataLakePrincipalIdentifier,
    ) ?? '?';
  const permissions = strings(props.Permissions);
  const grantable = strings(
    isPrincipalPermissions ? props.PermissionsWithGrantOption : props.PermissionsWithGrantOption,
  );
  const r = asRecord(props.Resource);
  const catalogOf = (x: Record<string, Resolved>) => asString(x.CatalogId) ?? stack.account;
  const meta = stack.resources[logicalId]?.Metadata?.['meshkit:consumes'] as LfGrant['consumes'] | undefined;
  let resource: LfGrant['resource'];
  const table = asRecord(r.Table ?? r.TableResource);
  const twc = asRecord(r.TableWithColumns ?? r.TableWithColumnsResource);
  const tagPolicy = asRecord(r.LFTagPolicy);
  if (Object.keys(twc).length) {
    const wildcard = asRecord(twc.ColumnWildcard);
    resource = {
      kind: 'table',
      catalog: catalogOf(twc),
      database: asString(twc.DatabaseName) ?? '?',
      table: asString(twc.Name) ?? '?',
      ...(twc.ColumnNames !== undefined ? { columns: strings(twc.ColumnNames) } : {}),
      ...(twc.ColumnWildcard !== undefined ? { excluded: strings(wildcard.ExcludedColumnNames) } : {}),
    };
  } else if (Object.keys(table).length) {
    resource = {
      kind: 'table',
      catalog: catalogOf(table),
      database: asString(table.DatabaseName) ?? '?',
      table: table.TableWildcard !== undefined ? '*' : (asString(table.Name) ?? '?'),
    };
  } else if (Object.keys(tagPolicy).length) {
    resource = {
      kind: 'tag-policy',
      catalog: catalogOf(tagPolicy),
      resourceType: asString(tagPolicy.ResourceType) ?? '?',
      expression: asArray(tagPolicy.Expression).map((e) => ({
        key: asString(asRecord(e).TagKey) ?? '?',
        values: strings(asRecord(e).TagValues),
      })),
    };
  } else {
    resource = { kind: 'other', description: Object.keys(r).join(', ') || 'no resource' };
  }
  return { stack, logicalId, principal, permissions, grantable, resource, ...(meta ? { consumes: meta } : {}) };
}

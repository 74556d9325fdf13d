// The data and pipeline side of the model: keys, buckets, tables, Glue jobs, triggers and
// workflows, EventBridge rules, Firehose and Kinesis streams, rulesets and alarms.
import { isUnresolved, type Resolved } from './assembly/resolve.js';
import type { PolicyDocument } from './iam/types.js';
import type { ResourceReader } from './model-iam.js';
import { argument, asArray, asRecord, asString, tableKey } from './model-values.js';

const readKey: ResourceReader = ({ m }, stack, logicalId) => {
  const arn = asString(stack.getAtt(logicalId, 'Arn'));
  if (arn)
    m.keys.set(arn, {
      stack,
      logicalId,
      arn,
      policy: stack.props(logicalId).KeyPolicy as unknown as PolicyDocument,
      aliases: [],
    });
};

const readBucketPolicy: ResourceReader = (b, stack, logicalId) => {
  const props = stack.props(logicalId);
  const bucket = asString(props.Bucket);
  if (bucket) b.bucketPolicies.set(bucket, props.PolicyDocument as unknown as PolicyDocument);
};

/** The string values of `key` of the objects of a list. */
const valuesOf = (list: Resolved | undefined, key: string) =>
  asArray(list)
    .map((x) => asString(asRecord(x)[key]))
    .filter((x): x is string => x !== undefined);

const readTable: ResourceReader = ({ m }, stack, logicalId) => {
  const props = stack.props(logicalId);
  const input = asRecord(props.TableInput);
  const sd = asRecord(input.StorageDescriptor);
  const database = asString(props.DatabaseName);
  const name = asString(input.Name);
  const target = asRecord(input.TargetTable);
  if (!database || !name) return;
  m.tables.set(tableKey(database, name), {
    stack,
    logicalId,
    database,
    name,
    columns: [...valuesOf(sd.Columns, 'Name'), ...valuesOf(input.PartitionKeys, 'Name')],
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
};

const readJob: ResourceReader = ({ m }, stack, logicalId) => {
  const props = stack.props(logicalId);
  const name = asString(props.Name) ?? stack.generatedName(logicalId);
  const args: Record<string, string> = {};
  for (const [k, v] of Object.entries(asRecord(props.DefaultArguments))) args[k] = argument(v);
  m.jobs.set(name, {
    stack,
    logicalId,
    name,
    ...(asString(props.Role) ? { roleArn: asString(props.Role)! } : {}),
    args,
  });
};

const readTrigger: ResourceReader = ({ m }, stack, logicalId) => {
  const props = stack.props(logicalId);
  m.triggers.push({
    stack,
    logicalId,
    type: asString(props.Type) ?? '?',
    jobNames: valuesOf(props.Actions, 'JobName'),
    startOnCreation: props.StartOnCreation === true,
    predicateJobs: valuesOf(asRecord(props.Predicate).Conditions, 'JobName'),
    ...(asString(props.Name) ? { name: asString(props.Name)! } : {}),
    ...(asString(props.WorkflowName) ? { workflow: asString(props.WorkflowName)! } : {}),
  });
};

const readWorkflow: ResourceReader = ({ m }, stack, logicalId) => {
  m.workflows.set(asString(stack.props(logicalId).Name) ?? stack.generatedName(logicalId), { stack, logicalId });
};

const readRule: ResourceReader = ({ m }, stack, logicalId) => {
  const props = stack.props(logicalId);
  m.rules.push({
    stack,
    logicalId,
    enabled: props.State !== 'DISABLED',
    pattern: props.EventPattern ?? null,
    targets: asArray(props.Targets).map((t) => ({
      arn: asString(asRecord(t).Arn) ?? '',
      ...(asString(asRecord(t).RoleArn) ? { roleArn: asString(asRecord(t).RoleArn)! } : {}),
    })),
  });
};

const readFirehose: ResourceReader = ({ m }, stack, logicalId) => {
  const props = stack.props(logicalId);
  const dest = asRecord(props.ExtendedS3DestinationConfiguration);
  const conv = asRecord(dest.DataFormatConversionConfiguration);
  const ser = asRecord(asRecord(conv.OutputFormatConfiguration).Serializer);
  const outputFormat =
    conv.Enabled === true ? ('ParquetSerDe' in ser ? 'parquet' : 'OrcSerDe' in ser ? 'orc' : undefined) : 'json';
  m.firehoses.push({
    stack,
    logicalId,
    name: asString(stack.ref(logicalId)) ?? logicalId,
    ...(asString(dest.RoleARN) ? { roleArn: asString(dest.RoleARN)! } : {}),
    ...(asString(dest.BucketARN) ? { bucketArn: asString(dest.BucketARN)! } : {}),
    ...(asString(dest.Prefix) !== undefined ? { prefix: asString(dest.Prefix)! } : {}),
    ...(outputFormat ? { outputFormat } : {}),
  });
};

const readStream: ResourceReader = ({ m }, stack, logicalId) => {
  m.streams.set(asString(stack.ref(logicalId)) ?? logicalId, { stack, logicalId });
};

const readRuleset: ResourceReader = ({ m }, stack, logicalId) => {
  const props = stack.props(logicalId);
  const target = asRecord(props.TargetTable);
  m.rulesets.push({
    stack,
    logicalId,
    ...(asString(props.Name) ? { name: asString(props.Name)! } : {}),
    ...(asString(target.DatabaseName) ? { database: asString(target.DatabaseName)! } : {}),
    ...(asString(target.TableName) ? { table: asString(target.TableName)! } : {}),
  });
};

const readAlarm: ResourceReader = ({ m }, stack, logicalId) => {
  const dims: Record<string, string> = {};
  for (const d of asArray(stack.props(logicalId).Dimensions)) {
    const n = asString(asRecord(d).Name);
    const v = asRecord(d).Value;
    if (n) dims[n] = typeof v === 'string' ? v : isUnresolved(v) ? `<${v.unresolved}>` : String(v);
  }
  m.alarms.push({ stack, logicalId, dimensions: dims });
};

/** First pass: data and pipeline resources, by type. */
export const RESOURCE_READERS: Record<string, ResourceReader> = {
  'AWS::S3::BucketPolicy': readBucketPolicy,
  'AWS::KMS::Key': readKey,
  'AWS::Glue::Table': readTable,
  'AWS::Glue::Job': readJob,
  'AWS::Glue::Trigger': readTrigger,
  'AWS::Glue::Workflow': readWorkflow,
  'AWS::Events::Rule': readRule,
  'AWS::KinesisFirehose::DeliveryStream': readFirehose,
  'AWS::Kinesis::Stream': readStream,
  'AWS::Glue::DataQualityRuleset': readRuleset,
  'AWS::CloudWatch::Alarm': readAlarm,
};

/** Second pass: a bucket, with its bucket policy and Meshkit metadata. */
export const readBucket: ResourceReader = (b, stack, logicalId) => {
  const res = stack.resources[logicalId]!;
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
  const policy = b.bucketPolicies.get(name);
  b.m.buckets.set(name, {
    stack,
    logicalId,
    name,
    arn: `arn:aws:s3:::${name}`,
    eventBridge,
    ...(kms ? { kmsKeyArn: kms } : {}),
    ...(policy ? { policy } : {}),
    ...(meta?.domain && meta.product
      ? { product: `${meta.domain}/${meta.product}`, zone: meta.zone ?? 'curated' }
      : {}),
  });
};

/** Second pass: a KMS alias, onto the key it names. */
export const readAlias: ResourceReader = ({ m }, stack, logicalId) => {
  const props = stack.props(logicalId);
  const target = asString(props.TargetKeyId);
  const key = [...m.keys.values()].find((k) => k.arn === target || k.arn.endsWith(`/${target}`));
  const alias = asString(props.AliasName);
  if (key && alias) key.aliases.push(alias);
};

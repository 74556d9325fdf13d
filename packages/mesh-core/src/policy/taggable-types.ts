/**
 * CloudFormation types on which the mandatory tags are applied (MeshTags) and checked
 * (MESH-TAG-MANDATORY), with the shape of their `Tags` property.
 */
export const MESH_TAGGABLE_TYPES: Readonly<Record<string, 'list' | 'map'>> = Object.freeze({
  'AWS::S3::Bucket': 'list',
  'AWS::KMS::Key': 'list',
  'AWS::Kinesis::Stream': 'list',
  'AWS::KinesisFirehose::DeliveryStream': 'list',
  'AWS::SNS::Topic': 'list',
  'AWS::SQS::Queue': 'list',
  'AWS::Logs::LogGroup': 'list',
  'AWS::IAM::Role': 'list',
  'AWS::Athena::WorkGroup': 'list',
  'AWS::CloudWatch::Alarm': 'list',
  'AWS::Events::Rule': 'list',
  'AWS::Lambda::Function': 'list',
  'AWS::StepFunctions::StateMachine': 'list',
  'AWS::CloudTrail::Trail': 'list',
  'AWS::Glue::Job': 'map',
  'AWS::Glue::Trigger': 'map',
  'AWS::Glue::Workflow': 'map',
  'AWS::Glue::Crawler': 'map',
  'AWS::Glue::DataQualityRuleset': 'map',
});

/**
 * Tags of a resource as a key → value map, reading both CloudFormation shapes (a list of
 * `{Key, Value}` or a map). `undefined` when `Tags` is an intrinsic (not statically known).
 */
export function readTags(tags: unknown): Map<string, unknown> | undefined {
  const m = new Map<string, unknown>();
  if (tags === undefined || tags === null) return m;
  if (Array.isArray(tags)) {
    for (const t of tags) {
      if (t && typeof t === 'object' && typeof (t as { Key?: unknown }).Key === 'string') {
        m.set((t as { Key: string }).Key, (t as { Value?: unknown }).Value);
      } else {
        return undefined;
      }
    }
    return m;
  }
  if (typeof tags === 'object') {
    const keys = Object.keys(tags);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'))) return undefined;
    for (const k of keys) m.set(k, (tags as Record<string, unknown>)[k]);
    return m;
  }
  return undefined;
}

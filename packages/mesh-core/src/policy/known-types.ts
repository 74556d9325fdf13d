/**
 * The CloudFormation resource types the policy pack knows — the one list MESH-RES-UNKNOWN-TYPE
 * compares product and domain stacks against (new AWS types fail closed). A type is here when
 * Meshkit's constructs create it (what the example mesh synthesizes) or a rule of the
 * pack inspects it, and it holds no data the pack cannot check. Deliberately absent: types that
 * store or move data with no rule looking at their encryption and access (e.g.
 * `AWS::S3Express::DirectoryBucket`, `AWS::Glue::Crawler` — it creates tables without rulesets —,
 * `AWS::DynamoDB::Table`, `AWS::RDS::*`), nested stacks whose template is not in the assembly, and
 * custom resources (MESH-RES-CUSTOM-RESOURCE). The platform allow-lists more types in
 * mesh.config.yaml `policy.allowedResourceTypes` (each with a reason).
 *
 * Types are matched case-insensitively everywhere in the pack (CloudFormation accepts
 * `aws::s3::bucket`): {@link canonicalResourceType} gives the spelling below.
 */
export const MESH_KNOWN_RESOURCE_TYPES: readonly string[] = Object.freeze([
  // Storage and encryption (MESH-ENC-*, MESH-NET-*, MESH-LOG-*, MESH-DR-*)
  'AWS::S3::Bucket',
  'AWS::S3::BucketPolicy',
  'AWS::KMS::Key',
  'AWS::KMS::Alias',
  'AWS::Kinesis::Stream',
  'AWS::KinesisFirehose::DeliveryStream',
  'AWS::SNS::Topic',
  'AWS::SNS::TopicPolicy',
  'AWS::SQS::Queue',
  'AWS::SQS::QueuePolicy',
  'AWS::Logs::LogGroup',
  'AWS::Logs::LogStream',
  'AWS::Athena::WorkGroup',
  // Glue (MESH-ENC-GLUE-*, MESH-DQ-*)
  'AWS::Glue::Database',
  'AWS::Glue::Table',
  'AWS::Glue::Job',
  'AWS::Glue::Trigger',
  'AWS::Glue::Workflow',
  'AWS::Glue::SecurityConfiguration',
  'AWS::Glue::DataQualityRuleset',
  'AWS::Glue::DataCatalogEncryptionSettings',
  // Lake Formation (MESH-LF-*)
  'AWS::LakeFormation::DataLakeSettings',
  'AWS::LakeFormation::Permissions',
  'AWS::LakeFormation::PrincipalPermissions',
  'AWS::LakeFormation::Resource',
  'AWS::LakeFormation::Tag',
  'AWS::LakeFormation::TagAssociation',
  // IAM (MESH-IAM-*)
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::User',
  'AWS::IAM::Group',
  'AWS::IAM::RolePolicy',
  'AWS::IAM::UserPolicy',
  'AWS::IAM::GroupPolicy',
  // Operations (MESH-TAG-MANDATORY; no data at rest)
  'AWS::CloudWatch::Alarm',
  'AWS::CloudWatch::Dashboard',
  'AWS::Events::Rule',
  'AWS::CloudTrail::Trail',
  'AWS::Lambda::Function',
  'AWS::StepFunctions::StateMachine',
  // CDK's own
  'AWS::CDK::Metadata',
  // A nested stack is known only when its template is part of the assembly (then evaluated too).
  'AWS::CloudFormation::Stack',
]);

/** A nested stack (its template is evaluated as part of the parent stack). */
export const NESTED_STACK_TYPE = 'AWS::CloudFormation::Stack';
/** The generic custom resource type (custom resources are `Custom::*` or this). */
export const CUSTOM_RESOURCE_TYPE = 'AWS::CloudFormation::CustomResource';

/** Spellings of types rules refer to but the pack does not know (so a lowercase spelling maps to them). */
const OTHER_SPELLINGS = ['AWS::Glue::Crawler', 'AWS::S3Express::DirectoryBucket', CUSTOM_RESOURCE_TYPE];

const CANONICAL = new Map<string, string>(
  [...MESH_KNOWN_RESOURCE_TYPES, ...OTHER_SPELLINGS].map((t) => [t.toLowerCase(), t]),
);
const KNOWN = new Set(MESH_KNOWN_RESOURCE_TYPES.map((t) => t.toLowerCase()));

/** The pack's spelling of a CloudFormation type (case-insensitive); unknown types as written. */
export const canonicalResourceType = (type: string): string => CANONICAL.get(type.toLowerCase()) ?? type;

/** True when the pack knows the type (case-insensitive). */
export const isKnownResourceType = (type: string): boolean => KNOWN.has(type.toLowerCase());

/** True for a custom resource: `Custom::*` or `AWS::CloudFormation::CustomResource` (case-insensitive). */
export const isCustomResourceType = (type: string): boolean => {
  const t = type.toLowerCase();
  return t.startsWith('custom::') || t === 'aws::cloudformation::customresource';
};

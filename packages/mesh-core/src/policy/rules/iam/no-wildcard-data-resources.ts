import { violation, type PolicyRule } from '../../rule.js';
import { IDENTITY_POLICY_TYPES, policyDocuments, statements } from '../../iam-statements.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';

/** Services whose actions touch product data. */
export const DATA_SERVICES: readonly string[] = ['s3', 'kms', 'glue', 'kinesis', 'firehose', 'athena', 'sqs', 'sns', 'dynamodb', 'secretsmanager'];

/**
 * Data actions that do not support resource-level permissions (AWS requires `Resource: *`), or
 * that CDK itself generates with `*`. Kept narrow on purpose; documented in docs/policy-rules.md.
 */
export const WILDCARD_RESOURCE_EXCEPTIONS: readonly string[] = [
  's3:ListAllMyBuckets',
  's3:PutBucketNotification', // CDK BucketNotificationsHandler (bucket notifications / EventBridge enablement)
  'kms:ListKeys', 'kms:ListAliases',
  'kinesis:ListStreams',
  'firehose:ListDeliveryStreams',
  'glue:GetSecurityConfiguration', 'glue:GetSecurityConfigurations',
  'athena:ListWorkGroups', 'athena:ListDataCatalogs',
  'sqs:ListQueues', 'sns:ListTopics',
  'secretsmanager:GetRandomPassword', 'secretsmanager:ListSecrets',
];

const isWildcardResource = (v: unknown): boolean =>
  v === '*' || (typeof v === 'string' && /^arn:[^:]*:[^:]*:[^:]*:[^:]*:\*$/.test(v)) || v === 'arn:aws:s3:::*';

const dataAction = (a: unknown): boolean => {
  if (typeof a !== 'string') return false;
  if (a === '*') return true;
  const i = a.indexOf(':');
  return i > 0 && DATA_SERVICES.includes(a.slice(0, i).toLowerCase()) && !WILDCARD_RESOURCE_EXCEPTIONS.includes(a);
};

/** Identity policies grant data actions on named resources, never on `*`. */
export const NoWildcardDataResourcesRule: PolicyRule = {
  id: 'MESH-IAM-NO-WILDCARD-DATA-RESOURCE',
  area: 'IAM',
  title: `Identity policies allow data actions (${DATA_SERVICES.join(', ')}) only on named resources, never on \`*\` (and no NotResource)`,
  rationale: 'A data action on `*` reaches every bucket, key, table and stream of the account — other domains\' products included. Exceptions: the listed actions that AWS only authorises on `*` (list operations, glue:GetSecurityConfiguration) and s3:PutBucketNotification used by CDK\'s bucket-notification handler. Non-data actions (cloudwatch:PutMetricData, xray:*, logs) may use `*`.',
  fix: 'Scope the statement to the product\'s resources (bucket ARN and `arn/*`, the domain key ARN, the table/database ARNs); CDK grant methods do.',
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: IDENTITY_POLICY_TYPES,
  check(r) {
    const bad: string[] = [];
    for (const { label, doc } of policyDocuments(r)) {
      for (const s of statements(doc)) {
        if (s.effect !== 'Allow') continue;
        const data = s.actions.filter(dataAction);
        if (data.length === 0) continue;
        if (s.resources.some(isWildcardResource)) bad.push(`${label} allows ${data.map(String).join(', ')} on '*'`);
        else if (s.notResources.length > 0) bad.push(`${label} allows ${data.map(String).join(', ')} with NotResource`);
      }
    }
    return bad.length === 0 ? 'compliant' : violation(bad.join('; '));
  },
};

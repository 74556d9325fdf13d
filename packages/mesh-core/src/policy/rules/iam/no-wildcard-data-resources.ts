import { violation, type PolicyRule } from '../../rule.js';
import { IDENTITY_POLICY_TYPES, policyDocuments, statements } from '../../iam-statements.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';
import { actionOfService, describeElement, elementValues, wildcardResource } from '../../iam-wildcards.js';
import { branches } from '../../values.js';

/** Services whose actions touch product data. */
export const DATA_SERVICES: readonly string[] = [
  's3',
  'kms',
  'glue',
  'kinesis',
  'firehose',
  'athena',
  'sqs',
  'sns',
  'dynamodb',
  'secretsmanager',
];

/**
 * Data actions that do not support resource-level permissions (AWS requires `Resource: *`), or
 * that CDK itself generates with `*`. Kept narrow on purpose; documented in docs/policy-rules.md.
 */
export const WILDCARD_RESOURCE_EXCEPTIONS: readonly string[] = [
  's3:ListAllMyBuckets',
  's3:PutBucketNotification', // CDK BucketNotificationsHandler (bucket notifications / EventBridge enablement)
  'kms:ListKeys',
  'kms:ListAliases',
  'kinesis:ListStreams',
  'firehose:ListDeliveryStreams',
  'glue:GetSecurityConfiguration',
  'glue:GetSecurityConfigurations',
  'athena:ListWorkGroups',
  'athena:ListDataCatalogs',
  'sqs:ListQueues',
  'sns:ListTopics',
  'secretsmanager:GetRandomPassword',
  'secretsmanager:ListSecrets',
];

const dataAction = (a: string): boolean => {
  if (a === '*') return true;
  if (WILDCARD_RESOURCE_EXCEPTIONS.includes(a)) return false;
  return DATA_SERVICES.some((svc) => actionOfService(a, svc));
};

/**
 * True when a Condition names the key by its alias (`kms:ResourceAliases` / `kms:RequestAlias`
 * with literal values, no wildcard, not negated): then `key/*` reaches one key, not every key
 * (how a product names its replica key in another region, whose ARN it cannot import).
 */
const namesKeyByAlias = (condition: unknown, ctx: Parameters<PolicyRule['check']>[1]): boolean => {
  if (typeof condition !== 'object' || condition === null || Array.isArray(condition)) return false;
  for (const [op, block] of Object.entries(condition)) {
    if (/not/i.test(op) || /like/i.test(op) || typeof block !== 'object' || block === null) continue;
    for (const [key, value] of Object.entries(block)) {
      if (!/^kms:(ResourceAliases|RequestAlias)$/i.test(key)) continue;
      const values = elementValues(Array.isArray(value) ? value : [value], ctx);
      if (values.length > 0 && values.every((v) => v.unresolved.length === 0 && !/[*?]/.test(v.pattern))) return true;
    }
  }
  return false;
};

/** Identity policies grant data actions on named resources, never on `*`. */
export const NoWildcardDataResourcesRule: PolicyRule = {
  id: 'MESH-IAM-NO-WILDCARD-DATA-RESOURCE',
  area: 'IAM',
  title: `Identity policies allow data actions (${DATA_SERVICES.join(', ')}) only on named resources, never on a pattern that matches every resource of a kind (\`*\`, \`arn:aws:s3:::*/*\`, \`…:table/*/*\`; no NotResource)`,
  rationale:
    "A data action on `*` reaches every bucket, key, table and stream of the account — other domains' products included. Exceptions: the listed actions that AWS only authorises on `*` (list operations, glue:GetSecurityConfiguration) and s3:PutBucketNotification used by CDK's bucket-notification handler. Non-data actions (cloudwatch:PutMetricData, xray:*, logs) may use `*`. Resources are judged by what they match (a pattern matching every bucket, object, stream, key, table… of the account is a wildcard), after resolving `Fn::Sub`/`Fn::Join` and every `Fn::If` branch; what cannot be resolved counts as `*`. A key pattern (`…:key/*`) is allowed when the statement names the key by its alias (`kms:ResourceAliases` or `kms:RequestAlias` equal to literal alias names), as for a replica key in another region.",
  fix: "Scope the statement to the product's resources (bucket ARN and `arn/*`, the domain key ARN, the table/database ARNs); CDK grant methods do.",
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: IDENTITY_POLICY_TYPES,
  check(r, ctx) {
    const bad = new Set<string>();
    for (const { label, doc } of policyDocuments(r)) {
      const variants = branches(doc);
      const where = variants.length > 1 ? ' (in one branch of its Fn::If)' : '';
      for (const variant of variants) {
        for (const s of statements(variant)) {
          if (s.effect !== 'Allow') continue;
          const data = elementValues(s.actions, ctx).filter((a) => dataAction(a.pattern));
          if (data.length === 0) continue;
          const actions = data.map((a) => (a.written === a.pattern ? a.written : describeElement(a))).join(', ');
          if (s.notResources.length > 0) {
            bad.add(`${label} allows ${actions} with NotResource${where}`);
            continue;
          }
          for (const res of elementValues(s.resources, ctx)) {
            const why = wildcardResource(res.pattern);
            if (why === 'matches every key' && namesKeyByAlias(s.condition, ctx)) continue;
            if (why)
              bad.add(
                `${label} allows ${actions} on '*'${res.written === '*' ? '' : ` (${describeElement(res)} ${why})`}${where}`,
              );
          }
        }
      }
    }
    return bad.size === 0 ? 'compliant' : violation([...bad].join('; '));
  },
};

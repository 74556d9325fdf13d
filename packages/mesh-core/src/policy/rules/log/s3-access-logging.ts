import { violation, type PolicyRule } from '../../rule.js';
import { isSet, path } from '../../refs.js';
import { BUCKET, isAccessLogTarget } from '../../s3-structure.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';

/** Data buckets log server access into the domain's access-log bucket. */
export const S3AccessLoggingRule: PolicyRule = {
  id: 'MESH-LOG-S3-ACCESS',
  area: 'LOG',
  title: 'Data buckets have server access logging (LoggingConfiguration.DestinationBucketName)',
  rationale:
    "Who read which object is evidence for audits and incident response. The access-log bucket itself (the target of other buckets' logs, recognised structurally) is exempt: logging it into itself loops.",
  fix: 'Set `serverAccessLogsBucket: domain.accessLogsBucket` with a prefix per bucket (DataProduct does).',
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: [BUCKET],
  check(bucket, ctx) {
    if (isSet(path(bucket.properties, 'LoggingConfiguration', 'DestinationBucketName'))) return 'compliant';
    if (isAccessLogTarget(bucket, ctx)) return 'not-applicable';
    return violation('bucket has no server access logging (LoggingConfiguration.DestinationBucketName)');
  },
};

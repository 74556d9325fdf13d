import { violation, type PolicyRule } from '../../rule.js';
import { publicGrants } from '../../public-access.js';
import { stackOf } from '../../values.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';

const SERVICES = {
  'AWS::SNS::TopicPolicy': { service: 'sns', document: 'PolicyDocument', targets: 'Topics', what: 'topic' },
  'AWS::SQS::QueuePolicy': { service: 'sqs', document: 'PolicyDocument', targets: 'Queues', what: 'queue' },
  'AWS::Kinesis::ResourcePolicy': {
    service: 'kinesis',
    document: 'ResourcePolicy',
    targets: 'ResourceArn',
    what: 'stream',
  },
} as const;

/** No topic, queue or stream policy lets anyone in. */
export const NoPublicResourcePolicyRule: PolicyRule = {
  id: 'MESH-NET-NO-PUBLIC-RESOURCE-POLICY',
  area: 'NET',
  title:
    'SNS topic, SQS queue and Kinesis stream policies allow no one outside named principals (same logic as bucket and key policies)',
  rationale:
    'Alarm topics, dead-letter queues and streams carry product data or signals about it; an Allow to `*` opens them to any AWS account. Decided like MESH-NET-S3-NO-PUBLIC-POLICY: for a caller of another account, conditions the caller chooses or that are always true count as none, Allow with NotPrincipal is a finding, and what cannot be resolved counts as public.',
  fix: 'Grant to named principals or AWS service principals, and limit a `*` principal with conditions the caller cannot choose (aws:SourceAccount, aws:SourceArn, aws:PrincipalOrgID).',
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: Object.keys(SERVICES),
  check(pol, ctx) {
    const spec = SERVICES[pol.type as keyof typeof SERVICES];
    if (!spec) return 'not-applicable';
    const target = stackOf(ctx).resolve(pol.properties[spec.targets] ?? null);
    const first = Array.isArray(target) ? target[0] : target;
    const resourceArn =
      typeof first === 'string' && first.startsWith('arn:')
        ? first
        : `arn:aws:${spec.service}:zz-region:000000000000:zz-probe-own-${spec.what}`;
    const grants = publicGrants(pol.properties[spec.document], ctx, { service: spec.service, resourceArn });
    if (grants.length === 0) return 'compliant';
    return violation(
      `${spec.what} policy lets anyone in: ${grants.map((g) => `${g.statement} (${g.actions}) ${g.why}`).join('; ')}. Grant to named principals or service principals, or limit a '*' principal with aws:SourceAccount / aws:SourceArn / aws:PrincipalOrgID`,
    );
  },
};

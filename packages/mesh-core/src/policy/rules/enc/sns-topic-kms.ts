import { violation, type PolicyRule } from '../../rule.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';
import { keyProblem, keyProblemMessage } from './aws-managed-key.js';

/** SNS topics are encrypted with a customer-managed KMS key. */
export const SnsTopicKmsRule: PolicyRule = {
  id: 'MESH-ENC-SNS',
  area: 'ENC',
  title: 'SNS topics set KmsMasterKeyId to a customer-managed key',
  rationale:
    'Alarm and event notifications can carry product and job details; they are encrypted at rest with the domain key.',
  fix: 'Create the topic with `masterKey: domain.key` (L1: `KmsMasterKeyId: <key arn>`); the key policy must allow the publishing services (cloudwatch.amazonaws.com, events.amazonaws.com).',
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: ['AWS::SNS::Topic'],
  check(topic, ctx) {
    const problem = keyProblem(topic.properties.KmsMasterKeyId, ctx);
    return problem ? violation(keyProblemMessage(problem, 'topic', 'KmsMasterKeyId')) : 'compliant';
  },
};

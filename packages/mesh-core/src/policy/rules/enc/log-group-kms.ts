import { violation, type PolicyRule } from '../../rule.js';
import { keyProblem, keyProblemMessage } from './aws-managed-key.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';

/** CloudWatch log groups are encrypted with a KMS key. */
export const LogGroupKmsRule: PolicyRule = {
  id: 'MESH-ENC-LOGS',
  area: 'ENC',
  title: 'CloudWatch log groups set KmsKeyId',
  rationale: 'Job and delivery logs can contain rows and error samples; they are encrypted with the domain key.',
  fix: 'Create the log group with `encryptionKey: domain.key` (L1: `KmsKeyId: <key arn>`); the key policy must allow `logs.<region>.amazonaws.com` with an encryption-context condition.',
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: ['AWS::Logs::LogGroup'],
  check(group, ctx) {
    const problem = keyProblem(group.properties.KmsKeyId, ctx);
    if (problem?.kind === 'missing')
      return violation(`log group has no KmsKeyId${problem.branch ? ' in one branch of its Fn::If' : ''}`);
    return problem ? violation(keyProblemMessage(problem, 'log group', 'KmsKeyId')) : 'compliant';
  },
};

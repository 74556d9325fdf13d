import { violation, type PolicyRule } from '../../rule.js';
import { isSet } from '../../refs.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';
import { keyProblem, keyProblemMessage } from './aws-managed-key.js';

/** SQS queues are encrypted with a customer-managed KMS key (SQS-managed SSE is not enough). */
export const SqsQueueKmsRule: PolicyRule = {
  id: 'MESH-ENC-SQS',
  area: 'ENC',
  title: 'SQS queues set KmsMasterKeyId to a customer-managed key',
  rationale:
    'Queues (dead-letter queues, event buffers) hold product records. SqsManagedSseEnabled encrypts with a key the domain does not control, so it does not satisfy the customer-managed-key promise.',
  fix: 'Create the queue with `encryption: QueueEncryption.KMS, encryptionMasterKey: domain.key` (L1: `KmsMasterKeyId: <key arn>`).',
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: ['AWS::SQS::Queue'],
  check(queue, ctx) {
    const key = queue.properties.KmsMasterKeyId;
    if (!isSet(key)) {
      return violation(
        queue.properties.SqsManagedSseEnabled === true || queue.properties.SqsManagedSseEnabled === 'true'
          ? 'queue uses SQS-managed SSE only: set KmsMasterKeyId to the domain key'
          : 'queue has no KmsMasterKeyId',
      );
    }
    const problem = keyProblem(key, ctx);
    return problem ? violation(keyProblemMessage(problem, 'queue', 'KmsMasterKeyId')) : 'compliant';
  },
};

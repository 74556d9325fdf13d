import { violation, type PolicyRule } from '../../rule.js';
import { isSet } from '../../refs.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';
import { isAwsManagedKey } from './aws-managed-key.js';

/** SQS queues are encrypted with a customer-managed KMS key (SQS-managed SSE is not enough). */
export const SqsQueueKmsRule: PolicyRule = {
  id: 'MESH-ENC-SQS',
  area: 'ENC',
  title: 'SQS queues set KmsMasterKeyId to a customer-managed key',
  rationale: 'Queues (dead-letter queues, event buffers) hold product records. SqsManagedSseEnabled encrypts with a key the domain does not control, so it does not satisfy the customer-managed-key promise.',
  fix: 'Create the queue with `encryption: QueueEncryption.KMS, encryptionMasterKey: domain.key` (L1: `KmsMasterKeyId: <key arn>`).',
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: ['AWS::SQS::Queue'],
  check(queue) {
    const key = queue.properties.KmsMasterKeyId;
    if (!isSet(key)) {
      return violation(queue.properties.SqsManagedSseEnabled === true || queue.properties.SqsManagedSseEnabled === 'true'
        ? 'queue uses SQS-managed SSE only: set KmsMasterKeyId to the domain key'
        : 'queue has no KmsMasterKeyId');
    }
    if (isAwsManagedKey(key)) return violation(`queue uses the AWS managed key ${String(key)}: use the domain's customer-managed key`);
    return 'compliant';
  },
};

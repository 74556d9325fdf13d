import { violation, type PolicyRule } from '../../rule.js';
import { isSet, path, resolveResource } from '../../refs.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';
import { keyProblem, keyProblemMessage } from './aws-managed-key.js';
import { KinesisStreamKmsRule } from './kinesis-stream-kms.js';

/**
 * Firehose delivery streams are encrypted with a CMK — or read a Kinesis stream that is itself
 * KMS-encrypted (Firehose cannot set its own SSE with a Kinesis source).
 */
export const FirehoseEncryptionRule: PolicyRule = {
  id: 'MESH-ENC-FIREHOSE',
  area: 'ENC',
  title: 'Firehose delivery streams use a customer-managed key, or read an encrypted Kinesis stream',
  rationale:
    'Firehose buffers records before delivery. A direct-put stream must encrypt them with a CMK; a stream with a Kinesis source cannot set its own SSE, so the source stream must be encrypted (MESH-ENC-KINESIS).',
  fix: 'Direct put: `DeliveryStreamEncryptionConfigurationInput: { KeyType: "CUSTOMER_MANAGED_CMK", KeyARN: <key arn> }`. Kinesis source: encrypt the source stream with the domain key, in the same stack.',
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: ['AWS::KinesisFirehose::DeliveryStream'],
  check(ds, ctx) {
    const p = ds.properties;
    if (p.DeliveryStreamType === 'KinesisStreamAsSource') {
      const arn = path(p, 'KinesisStreamSourceConfiguration', 'KinesisStreamARN');
      const src = resolveResource(arn, ctx);
      if (!src || src.resource.type !== 'AWS::Kinesis::Stream') {
        return violation(
          'the source Kinesis stream is not in this assembly, so its encryption cannot be verified: define it in the product stack or suppress with a reason',
        );
      }
      const r = KinesisStreamKmsRule.check(src.resource, src.ctx);
      return r === 'compliant'
        ? 'compliant'
        : violation(
            `the source Kinesis stream ${src.ctx.constructPath(src.resource)} is not encrypted with a customer-managed key`,
          );
    }
    const enc = p.DeliveryStreamEncryptionConfigurationInput;
    if (path(enc, 'KeyType') !== 'CUSTOMER_MANAGED_CMK' || !isSet(path(enc, 'KeyARN'))) {
      return violation(
        'delivery stream has no DeliveryStreamEncryptionConfigurationInput with KeyType CUSTOMER_MANAGED_CMK and a KeyARN',
      );
    }
    // The key is judged by value, every Fn::If branch (an AWS managed alias through Fn::Sub is not a CMK).
    const key = keyProblem(path(enc, 'KeyARN'), ctx);
    return key ? violation(keyProblemMessage(key, 'delivery stream', 'KeyARN')) : 'compliant';
  },
};

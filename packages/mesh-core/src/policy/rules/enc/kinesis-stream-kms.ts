import { violation, type PolicyRule } from '../../rule.js';
import { isSet, path } from '../../refs.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';
import { isAwsManagedKey } from './aws-managed-key.js';

/** Kinesis streams are encrypted with a customer-managed KMS key. */
export const KinesisStreamKmsRule: PolicyRule = {
  id: 'MESH-ENC-KINESIS',
  area: 'ENC',
  title: 'Kinesis data streams use KMS encryption with a customer-managed key',
  rationale: 'Streamed records are product data; they must be encrypted at rest with the domain key like the zones they land in.',
  fix: 'Create the stream with `encryption: StreamEncryption.KMS, encryptionKey: domain.key` (L1: `StreamEncryption: { EncryptionType: "KMS", KeyId: <key arn> }`).',
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: ['AWS::Kinesis::Stream'],
  check(stream) {
    const enc = stream.properties.StreamEncryption;
    if (path(enc, 'EncryptionType') !== 'KMS') return violation('stream has no StreamEncryption with EncryptionType KMS');
    const key = path(enc, 'KeyId');
    if (!isSet(key) || isAwsManagedKey(key)) return violation(`stream is encrypted with ${isSet(key) ? String(key) : 'no key'}: use the domain's customer-managed key`);
    return 'compliant';
  },
};

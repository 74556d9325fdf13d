import { violation, type PolicyRule } from '../../rule.js';
import { path } from '../../refs.js';
import { branches, stackOf } from '../../values.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';
import { keyProblem, keyProblemMessage } from './aws-managed-key.js';

/** Kinesis streams are encrypted with a customer-managed KMS key. */
export const KinesisStreamKmsRule: PolicyRule = {
  id: 'MESH-ENC-KINESIS',
  area: 'ENC',
  title: 'Kinesis data streams use KMS encryption with a customer-managed key',
  rationale:
    'Streamed records are product data; they must be encrypted at rest with the domain key like the zones they land in.',
  fix: 'Create the stream with `encryption: StreamEncryption.KMS, encryptionKey: domain.key` (L1: `StreamEncryption: { EncryptionType: "KMS", KeyId: <key arn> }`).',
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: ['AWS::Kinesis::Stream'],
  check(stream, ctx) {
    const all = branches(stream.properties.StreamEncryption);
    const where = all.length > 1 ? ' in one branch of its Fn::If' : '';
    for (const enc of all) {
      if (stackOf(ctx).resolve(path(enc, 'EncryptionType') ?? null) !== 'KMS')
        return violation(`stream has no StreamEncryption with EncryptionType KMS${where}`);
      const problem = keyProblem(path(enc, 'KeyId'), ctx);
      if (problem?.kind === 'missing')
        return violation(`stream is encrypted with no key${where}: use the domain's customer-managed key`);
      if (problem)
        return violation(
          keyProblemMessage(
            problem.branch || !where ? problem : { ...problem, branch: true },
            'stream',
            'StreamEncryption.KeyId',
          ),
        );
    }
    return 'compliant';
  },
};

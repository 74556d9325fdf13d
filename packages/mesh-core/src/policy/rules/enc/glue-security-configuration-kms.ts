import { violation, type PolicyRule } from '../../rule.js';
import { asArray, isSet, path } from '../../refs.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';

/** Glue security configurations encrypt S3 (SSE-KMS), CloudWatch (SSE-KMS) and bookmarks (CSE-KMS). */
export const GlueSecurityConfigurationKmsRule: PolicyRule = {
  id: 'MESH-ENC-GLUE-SECURITY-CONFIG',
  area: 'ENC',
  title: 'Glue security configurations use SSE-KMS for S3 and CloudWatch and CSE-KMS for job bookmarks',
  rationale:
    'Everything a Glue job writes — shuffle/temp data in S3, its logs, its bookmarks — is product data and must be encrypted with the domain key.',
  fix: 'Use the domain\'s security configuration (DomainFoundation), or set `EncryptionConfiguration: { S3Encryptions: [{ S3EncryptionMode: "SSE-KMS", KmsKeyArn }], CloudWatchEncryption: { CloudWatchEncryptionMode: "SSE-KMS", KmsKeyArn }, JobBookmarksEncryption: { JobBookmarksEncryptionMode: "CSE-KMS", KmsKeyArn } }`.',
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: ['AWS::Glue::SecurityConfiguration'],
  check(sc) {
    const enc = sc.properties.EncryptionConfiguration;
    const problems: string[] = [];
    const s3 = asArray(path(enc, 'S3Encryptions'));
    if (s3.length === 0 || !s3.every((e) => path(e, 'S3EncryptionMode') === 'SSE-KMS' && isSet(path(e, 'KmsKeyArn'))))
      problems.push('S3 encryption is not SSE-KMS with a key');
    const cw = path(enc, 'CloudWatchEncryption');
    if (path(cw, 'CloudWatchEncryptionMode') !== 'SSE-KMS' || !isSet(path(cw, 'KmsKeyArn')))
      problems.push('CloudWatch encryption is not SSE-KMS with a key');
    const jb = path(enc, 'JobBookmarksEncryption');
    if (path(jb, 'JobBookmarksEncryptionMode') !== 'CSE-KMS' || !isSet(path(jb, 'KmsKeyArn')))
      problems.push('job bookmarks encryption is not CSE-KMS with a key');
    return problems.length === 0 ? 'compliant' : violation(problems.join('; '));
  },
};

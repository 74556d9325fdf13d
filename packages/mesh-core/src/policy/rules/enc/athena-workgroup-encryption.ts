import { violation, type PolicyRule } from '../../rule.js';
import { isTrue, path } from '../../refs.js';
import { keyProblem, keyProblemMessage } from './aws-managed-key.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';

/** Athena workgroups enforce their configuration and encrypt results with KMS. */
export const AthenaWorkgroupEncryptionRule: PolicyRule = {
  id: 'MESH-ENC-ATHENA',
  area: 'ENC',
  title: 'Athena workgroups enforce their configuration and encrypt query results with SSE_KMS or CSE_KMS',
  rationale:
    'Query results are copies of product data. Without EnforceWorkGroupConfiguration a client can override the result location and encryption.',
  fix: 'Use the domain\'s workgroup (DomainFoundation), or set `WorkGroupConfiguration: { EnforceWorkGroupConfiguration: true, ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: "SSE_KMS", KmsKey: <key arn> } } }`.',
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: ['AWS::Athena::WorkGroup'],
  check(wg, ctx) {
    const cfg = wg.properties.WorkGroupConfiguration;
    const problems: string[] = [];
    if (!isTrue(path(cfg, 'EnforceWorkGroupConfiguration'))) problems.push('EnforceWorkGroupConfiguration is not true');
    const enc = path(cfg, 'ResultConfiguration', 'EncryptionConfiguration');
    const option = path(enc, 'EncryptionOption');
    if (option !== 'SSE_KMS' && option !== 'CSE_KMS')
      problems.push(
        `result encryption is ${option === undefined ? 'not set' : JSON.stringify(option)} (need SSE_KMS or CSE_KMS)`,
      );
    else {
      // The key is judged by value, every Fn::If branch (an AWS managed alias through Fn::Sub is not a CMK).
      const key = keyProblem(path(enc, 'KmsKey'), ctx);
      if (key) problems.push(keyProblemMessage(key, 'result encryption', 'KmsKey'));
    }
    return problems.length === 0 ? 'compliant' : violation(problems.join('; '));
  },
};

import { violation, type PolicyRule } from '../../rule.js';
import { isSet } from '../../refs.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';

/** Glue jobs run with a security configuration. */
export const GlueJobSecurityConfigurationRule: PolicyRule = {
  id: 'MESH-ENC-GLUE-JOB',
  area: 'ENC',
  title: 'Glue jobs set a SecurityConfiguration',
  rationale: 'Without a security configuration a Glue job writes temporary data, logs and bookmarks unencrypted or with AWS-owned keys.',
  fix: 'Set `securityConfiguration` to the domain\'s (`domain.securityConfigurationName`); DataProduct does.',
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: ['AWS::Glue::Job'],
  check(job) {
    return isSet(job.properties.SecurityConfiguration) ? 'compliant' : violation('Glue job has no SecurityConfiguration');
  },
};

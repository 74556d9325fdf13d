import { violation, type PolicyRule } from '../../rule.js';
import type { TemplateContext } from '../../template-context.js';
import { branches, isUnresolved, stackOf } from '../../values.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';

/** Names of the Glue security configurations of the assembly (resolved `Name`s), computed once. */
function securityConfigurationNames(ctx: TemplateContext): ReadonlySet<string> {
  return ctx.assembly.memo('glue:security-configuration-names', () => {
    const names = new Set<string>();
    for (const t of ctx.assembly.all()) {
      for (const sc of t.ctx.ofType('AWS::Glue::SecurityConfiguration')) {
        const n = stackOf(t.ctx).resolve(sc.properties.Name ?? null);
        if (typeof n === 'string') names.add(n);
      }
    }
    return names;
  });
}

/** Glue jobs run with a security configuration of the app (checked by MESH-ENC-GLUE-SECURITY-CONFIG). */
export const GlueJobSecurityConfigurationRule: PolicyRule = {
  id: 'MESH-ENC-GLUE-JOB',
  area: 'ENC',
  title: 'Glue jobs set a SecurityConfiguration defined in the app',
  rationale:
    'Without a security configuration a Glue job writes temporary data, logs and bookmarks unencrypted or with AWS-owned keys. Only a configuration of the synthesized app is checked by MESH-ENC-GLUE-SECURITY-CONFIG, so the name must resolve (every `Fn::If` branch) to an AWS::Glue::SecurityConfiguration of the assembly; a name from outside, or a value that cannot be resolved, could be a configuration without encryption.',
  fix: "Set `securityConfiguration` to the domain's (`domain.securityConfigurationName`, or a `Ref`/export of the domain's CfnSecurityConfiguration); DataProduct does. Do not choose it with `Fn::If`.",
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: ['AWS::Glue::Job'],
  check(job, ctx) {
    const all = branches(job.properties.SecurityConfiguration);
    const where = all.length > 1 ? ' in one branch of its Fn::If' : '';
    for (const b of all) {
      const name = b === undefined ? null : stackOf(ctx).resolve(b);
      if (name === null || (typeof name === 'string' && name.trim() === ''))
        return violation(
          `Glue job has no SecurityConfiguration${where}: set it to the domain's security configuration`,
        );
      if (typeof name !== 'string') {
        return violation(
          `Glue job's SecurityConfiguration${where} cannot be resolved from the template (${isUnresolved(name) ? name.unresolved : JSON.stringify(name)}): name the domain's security configuration (a Ref or an export of the assembly)`,
        );
      }
      if (!securityConfigurationNames(ctx).has(name)) {
        return violation(
          `Glue job's SecurityConfiguration '${name}'${where} is not a security configuration of the app, so its encryption is not checked: use the domain's security configuration`,
        );
      }
    }
    return 'compliant';
  },
};

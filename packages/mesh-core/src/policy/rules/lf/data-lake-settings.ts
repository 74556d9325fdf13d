import { violation, type PolicyRule } from '../../rule.js';
import { LF_SETTINGS } from '../../lake-formation.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';

/** DataLakeSettings append admins and create no IAM_ALLOWED_PRINCIPALS defaults. */
export const DataLakeSettingsSafeRule: PolicyRule = {
  id: 'MESH-LF-SETTINGS',
  area: 'LF',
  title: 'DataLakeSettings use MutationType APPEND and empty CreateDatabase/CreateTable default permissions',
  rationale:
    'MutationType REPLACE (the default) wipes the admins configured outside the stack; default permissions other than `[]` give IAM_ALLOWED_PRINCIPALS ALL on every new database and table.',
  fix: 'Use PlatformFoundation, or set `MutationType: "APPEND"`, `CreateDatabaseDefaultPermissions: []`, `CreateTableDefaultPermissions: []`.',
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: [LF_SETTINGS],
  check(r) {
    const p = r.properties;
    const problems: string[] = [];
    if (p.MutationType !== 'APPEND')
      problems.push(
        `MutationType is ${p.MutationType === undefined ? 'not set (REPLACE)' : JSON.stringify(p.MutationType)}, need APPEND`,
      );
    for (const k of ['CreateDatabaseDefaultPermissions', 'CreateTableDefaultPermissions']) {
      const v = p[k];
      if (!Array.isArray(v) || v.length > 0)
        problems.push(`${k} is ${v === undefined ? 'not set' : 'not empty'}, need []`);
    }
    return problems.length === 0 ? 'compliant' : violation(problems.join('; '));
  },
};

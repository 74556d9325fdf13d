import { violation, type PolicyRule } from '../../rule.js';
import { LF_PERMISSIONS, LF_PRINCIPAL_PERMISSIONS, grantOf, isAdmin } from '../../lake-formation.js';
import { MESH_POLICY_PACK_VERSION } from '../../version.js';

/** Only data lake admins get ALL with grant option. */
export const NoGrantableAllRule: PolicyRule = {
  id: 'MESH-LF-NO-GRANTABLE-ALL',
  area: 'LF',
  title: 'No Lake Formation grant of ALL with grant option, except to data lake admins',
  rationale:
    'ALL with grant option lets the grantee re-grant any permission to anyone: it is administration, reserved to the admins declared in DataLakeSettings (of any stack of the assembly, e.g. the platform stack).',
  fix: 'Grant the permissions consumers need (SELECT, DESCRIBE) without grant option; make the principal a data lake admin in PlatformFoundation if it truly administers.',
  since: MESH_POLICY_PACK_VERSION,
  resourceTypes: [LF_PERMISSIONS, LF_PRINCIPAL_PERMISSIONS],
  check(r, ctx) {
    const g = grantOf(r);
    if (!g.grantable.includes('ALL')) return 'compliant';
    return isAdmin(g.principal, ctx)
      ? 'compliant'
      : violation(`ALL with grant option granted to ${JSON.stringify(g.principal)}, which is not a data lake admin`);
  },
};

/** Lake Formation grants in CloudFormation JSON. */
import { asArray, jsonEqual, path } from './refs.js';
import type { CfnResourceView } from './rule.js';
import type { TemplateContext } from './template-context.js';

export const LF_PERMISSIONS = 'AWS::LakeFormation::Permissions';
export const LF_PRINCIPAL_PERMISSIONS = 'AWS::LakeFormation::PrincipalPermissions';
export const LF_SETTINGS = 'AWS::LakeFormation::DataLakeSettings';

/** Principal, permissions and grantable permissions of a grant resource. */
export function grantOf(r: CfnResourceView): {
  principal: unknown;
  permissions: readonly unknown[];
  grantable: readonly unknown[];
} {
  const p = r.properties;
  const principal =
    r.type === LF_PERMISSIONS
      ? path(p, 'DataLakePrincipal', 'DataLakePrincipalIdentifier')
      : path(p, 'Principal', 'DataLakePrincipalIdentifier');
  return { principal, permissions: asArray(p.Permissions), grantable: asArray(p.PermissionsWithGrantOption) };
}

/** Data lake administrators declared by DataLakeSettings anywhere in the assembly. */
export function dataLakeAdmins(ctx: TemplateContext): readonly unknown[] {
  return ctx.assembly.memo('lf:admins', () => {
    const out: unknown[] = [];
    for (const t of ctx.assembly.all()) {
      for (const s of t.ctx.ofType(LF_SETTINGS)) {
        for (const a of asArray(s.properties.Admins)) out.push(path(a, 'DataLakePrincipalIdentifier'));
      }
    }
    return out;
  });
}

/** True when `principal` is one of the data lake admins. */
export const isAdmin = (principal: unknown, ctx: TemplateContext): boolean =>
  dataLakeAdmins(ctx).some((a) => a !== undefined && jsonEqual(a, principal));

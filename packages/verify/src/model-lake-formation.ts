// The Lake Formation side of the model: settings, grants, LF-tag associations, registered locations.
import type { Resolved, StackModel } from './assembly/resolve.js';
import type { LfGrant } from './model.js';
import type { ResourceReader } from './model-iam.js';
import { asArray, asRecord, asString, strings } from './model-values.js';

const readSettings: ResourceReader = ({ m }, stack, logicalId) => {
  const props = stack.props(logicalId);
  if (props.AllowFullTableExternalDataAccess === true) m.lakeSettings.set(stack.account, { fullTableAccess: true });
  else if (!m.lakeSettings.has(stack.account)) m.lakeSettings.set(stack.account, { fullTableAccess: false });
};

const readGrant: ResourceReader = ({ m }, stack, logicalId, type) => {
  m.grants.push(lfGrant(stack, logicalId, type));
};

const readTagAssociation: ResourceReader = ({ m }, stack, logicalId) => {
  const at = { stack, logicalId };
  const props = stack.props(logicalId);
  const r = asRecord(props.Resource);
  const tags: Record<string, string[]> = {};
  for (const t of asArray(props.LFTags)) {
    const k = asString(asRecord(t).TagKey);
    if (k) tags[k] = strings(asRecord(t).TagValues);
  }
  const table = asRecord(r.Table);
  const twc = asRecord(r.TableWithColumns);
  const db = asRecord(r.Database);
  if (Object.keys(twc).length)
    m.tagAssociations.push({
      ...at,
      database: asString(twc.DatabaseName) ?? '?',
      table: asString(twc.Name) ?? '?',
      columns: strings(twc.ColumnNames),
      tags,
    });
  else if (Object.keys(table).length)
    m.tagAssociations.push({
      ...at,
      database: asString(table.DatabaseName) ?? '?',
      table: asString(table.Name) ?? '?',
      tags,
    });
  else if (Object.keys(db).length) m.tagAssociations.push({ ...at, database: asString(db.Name) ?? '?', tags });
};

const readLocation: ResourceReader = ({ m }, stack, logicalId) => {
  const props = stack.props(logicalId);
  m.locations.push({
    stack,
    logicalId,
    resourceArn: asString(props.ResourceArn) ?? '?',
    ...(asString(props.RoleArn) ? { roleArn: asString(props.RoleArn)! } : {}),
    serviceLinkedRole: props.UseServiceLinkedRole === true,
  });
};

/** Lake Formation resources, by type. */
export const LAKE_FORMATION_READERS: Record<string, ResourceReader> = {
  'AWS::LakeFormation::DataLakeSettings': readSettings,
  'AWS::LakeFormation::PrincipalPermissions': readGrant,
  'AWS::LakeFormation::Permissions': readGrant,
  'AWS::LakeFormation::TagAssociation': readTagAssociation,
  'AWS::LakeFormation::Resource': readLocation,
};

function lfGrant(stack: StackModel, logicalId: string, type: string): LfGrant {
  const props = stack.props(logicalId);
  const isPrincipalPermissions = type === 'AWS::LakeFormation::PrincipalPermissions';
  const principal =
    asString(
      asRecord(isPrincipalPermissions ? props.Principal : props.DataLakePrincipal).DataLakePrincipalIdentifier,
    ) ?? '?';
  const permissions = strings(props.Permissions);
  const grantable = strings(props.PermissionsWithGrantOption);
  const meta = stack.resources[logicalId]?.Metadata?.['meshkit:consumes'] as LfGrant['consumes'] | undefined;
  const resource = grantResource(asRecord(props.Resource), stack.account);
  return { stack, logicalId, principal, permissions, grantable, resource, ...(meta ? { consumes: meta } : {}) };
}

/** What a grant's Resource covers. */
function grantResource(r: Record<string, Resolved>, account: string): LfGrant['resource'] {
  const catalogOf = (x: Record<string, Resolved>) => asString(x.CatalogId) ?? account;
  const table = asRecord(r.Table ?? r.TableResource);
  const twc = asRecord(r.TableWithColumns ?? r.TableWithColumnsResource);
  const tagPolicy = asRecord(r.LFTagPolicy);
  if (Object.keys(twc).length) {
    const wildcard = asRecord(twc.ColumnWildcard);
    return {
      kind: 'table',
      catalog: catalogOf(twc),
      database: asString(twc.DatabaseName) ?? '?',
      table: asString(twc.Name) ?? '?',
      ...(twc.ColumnNames !== undefined ? { columns: strings(twc.ColumnNames) } : {}),
      ...(twc.ColumnWildcard !== undefined ? { excluded: strings(wildcard.ExcludedColumnNames) } : {}),
    };
  }
  if (Object.keys(table).length) {
    return {
      kind: 'table',
      catalog: catalogOf(table),
      database: asString(table.DatabaseName) ?? '?',
      table: table.TableWildcard !== undefined ? '*' : (asString(table.Name) ?? '?'),
    };
  }
  if (Object.keys(tagPolicy).length) {
    return {
      kind: 'tag-policy',
      catalog: catalogOf(tagPolicy),
      resourceType: asString(tagPolicy.ResourceType) ?? '?',
      expression: asArray(tagPolicy.Expression).map((e) => ({
        key: asString(asRecord(e).TagKey) ?? '?',
        values: strings(asRecord(e).TagValues),
      })),
    };
  }
  return { kind: 'other', description: Object.keys(r).join(', ') || 'no resource' };
}

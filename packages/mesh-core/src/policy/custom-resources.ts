/**
 * Custom resources as the pack sees them: `Custom::*` / `AWS::CloudFormation::CustomResource`,
 * CDK's `AwsCustomResource` SDK calls (`Create`/`Update`/`Delete` JSON strings with `service` and
 * `action`, possibly inside `Fn::Join` when parameters hold tokens), the platform's allow-list,
 * and the calls that are never allowed (they change encryption, public access, policies, tags or
 * Lake Formation permissions, or create data stores the pack cannot see).
 */
import type { PolicySettings } from '@meshkit/contracts';
import type { CfnResourceView } from './rule.js';

/** One SDK call of an AwsCustomResource. */
export interface SdkCall {
  /** `Create`, `Update` or `Delete`. */
  readonly phase: string;
  /** IAM service prefix (`s3`, `kms`, …), or undefined when not statically known. */
  readonly service: string | undefined;
  /** Action in IAM spelling (`DeleteBucketPolicy`), or undefined when not statically known. */
  readonly action: string | undefined;
}

const PHASES = ['Create', 'Update', 'Delete', 'OnCreate', 'OnUpdate', 'OnDelete'];
const TOKEN = '__MESH_TOKEN__';

/** A string value with intrinsics replaced by a placeholder (`Fn::Join` / `Fn::Sub` literal parts kept). */
function flatten(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const join = (v as Record<string, unknown>)['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      return join[1].map((p) => (typeof p === 'string' ? p : (flatten(p) ?? TOKEN))).join(join[0]);
    }
    const sub = (v as Record<string, unknown>)['Fn::Sub'];
    const text = typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : undefined;
    if (text !== undefined) return text.replace(/\$\{[^}]*\}/g, TOKEN);
  }
  return undefined;
}

/** Service name of an SDK call → IAM service prefix (`S3` / `@aws-sdk/client-s3` → `s3`). */
export function iamServicePrefix(service: string): string {
  const s = service
    .trim()
    .toLowerCase()
    .replace(/^@aws-sdk\/client-/, '')
    .replace(/[-_ ]/g, '');
  return SERVICE_PREFIXES[s] ?? s;
}
const SERVICE_PREFIXES: Record<string, string> = {
  cloudwatchlogs: 'logs',
  kinesisfirehose: 'firehose',
  cloudwatch: 'cloudwatch',
  cloudwatchevents: 'events',
  eventbridge: 'events',
  cognitoidentityserviceprovider: 'cognito-idp',
  cognitoidentityprovider: 'cognito-idp',
  elbv2: 'elasticloadbalancing',
  elasticloadbalancingv2: 'elasticloadbalancing',
  stepfunctions: 'states',
  sfn: 'states',
  s3control: 's3',
};

/** SDK action → IAM spelling (`deleteBucketPolicy` / `DeleteBucketPolicyCommand` → `DeleteBucketPolicy`). */
export function iamActionName(action: string): string {
  const a = action.trim().replace(/Command$/, '');
  return a.charAt(0).toUpperCase() + a.slice(1);
}

/**
 * The SDK calls of a custom resource written by `AwsCustomResource` (properties `Create`, `Update`,
 * `Delete` holding JSON with `service` and `action`); `[]` for other custom resources.
 */
export function sdkCalls(r: CfnResourceView): SdkCall[] {
  const out: SdkCall[] = [];
  for (const phase of PHASES) {
    const raw = r.properties[phase];
    if (raw === undefined) continue;
    const text = flatten(raw);
    let service: string | undefined;
    let action: string | undefined;
    if (text !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      const pick = (k: string): string | undefined => {
        const v =
          parsed && typeof parsed === 'object'
            ? (parsed as Record<string, unknown>)[k]
            : new RegExp(`"${k}"\\s*:\\s*"([^"]*)"`).exec(text)?.[1];
        return typeof v === 'string' && v !== '' && !v.includes(TOKEN) ? v : undefined;
      };
      service = pick('service');
      action = pick('action');
    }
    out.push({
      phase,
      service: service === undefined ? undefined : iamServicePrefix(service),
      action: action === undefined ? undefined : iamActionName(action),
    });
  }
  return out;
}

/** True when the custom resource is an AwsCustomResource (it has SDK calls). */
export const isSdkCallResource = (r: CfnResourceView): boolean => PHASES.some((p) => r.properties[p] !== undefined);

const READ =
  /^(get|list|describe|head|search|lookup|batchget|query|scan|select|check|validate|test|simulate|estimate|preview|generate|encrypt|decrypt|verify|sign|re?encrypt)/i;
const TAG =
  /^(un)?tag|^(add|remove|put|delete|create|update|change|attach|detach|replace)\w*(tags|tagging|tag$|tagkey|tagvalue|tagoption)/i;
const POLICY = /polic(y|ies)|^(add|remove)permission$/i;
const ENCRYPTION =
  /encryption|kms|key(rotation)?$|^(set|update)(queue|topic)?attributes$|^updateworkgroup$|securityconfiguration|^putbucketlogging$/i;
const PUBLIC = /publicaccessblock|acl$|ownershipcontrols|^putbucketwebsite$|^putaccesspoint/i;
const CREATES_STORE =
  /^create(bucket|table|database|crawler|stream|deliverystream|queue|topic|loggroup|directorybucket|filesystem|dbinstance|dbcluster|cluster)$/i;
/** Services where every call that is not a read changes permissions or keys. */
const PERMISSION_SERVICES = new Set(['iam', 'kms', 'lakeformation', 'sts', 'organizations', 'ram']);

/**
 * Why an SDK call is never allowed at deploy time (whatever the allow-list), or undefined. Calls
 * that change encryption, public access, policies, tags or permissions, or create data stores,
 * bypass the pack: it checks templates, not what a Lambda does when CloudFormation runs it.
 */
export function forbiddenCallReason(service: string, action: string): string | undefined {
  const a = action;
  if (READ.test(a)) return undefined; // reads change nothing (GetBucketPolicy is a read)
  if (TAG.test(a)) return 'it changes tags, which the pack checks in the template (MESH-TAG-MANDATORY)';
  if (POLICY.test(a))
    return 'it changes a policy (bucket, key, resource or identity policy), which the pack must see in the template';
  if (PUBLIC.test(a)) return 'it changes public access (block public access, ACLs, ownership, website, access points)';
  if (ENCRYPTION.test(a)) return 'it changes encryption settings or keys';
  if (PERMISSION_SERVICES.has(service))
    return `it changes ${service === 'lakeformation' ? 'Lake Formation permissions or settings' : service === 'kms' ? 'a KMS key' : 'identities or permissions'}`;
  if (CREATES_STORE.test(a))
    return 'it creates a data store outside the template, where no rule of the pack can check it';
  return undefined;
}

/** The allow-list entry matching a custom resource type or an SDK call (`service:Action`), case-insensitively. */
export function allowance(settings: PolicySettings, key: string): { type: string; reason: string } | undefined {
  const k = key.toLowerCase();
  return settings.allowedCustomResources.find((e) => {
    const t = e.type.trim();
    const i = t.indexOf(':');
    if (i > 0 && !t.includes('::'))
      return `${iamServicePrefix(t.slice(0, i))}:${iamActionName(t.slice(i + 1))}`.toLowerCase() === k;
    return t.toLowerCase() === k;
  });
}

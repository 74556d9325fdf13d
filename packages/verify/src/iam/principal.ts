// Principal and NotPrincipal of resource-based policies.

import type { RequestPrincipal } from './types.js';
import { describeUnresolved, isRecord, isUnresolved, valueList } from './values.js';
import { NO, YES, allOf, anyOf, not, unknown, type Verdict } from './verdict.js';

/** How a Principal element relates to the request's principal. */
export interface PrincipalMatch {
  /** The element names the principal itself (its ARN, its service, a wildcard; the root user by its account). */
  readonly direct: Verdict;
  /** The element names the principal or its account (an account grant delegates to the account's IAM policies). */
  readonly any: Verdict;
}

/** What one entry of the element names, seen from the request's principal. */
interface EntryMatch {
  readonly wildcard: Verdict;
  readonly self: Verdict;
  readonly account: Verdict;
}

const NONE: EntryMatch = { wildcard: NO, self: NO, account: NO };
const ACCOUNT_ID = /^\d{12}$/;
const ACCOUNT_ROOT = /^arn:aws[a-z-]*:iam::(\d{12}):root$/;
const IAM_ENTITY = /^arn:aws[a-z-]*:(iam|sts)::(\d{12}):(.+)$/;

function unknownEntry(why: string): EntryMatch {
  const u = unknown(why);
  return { wildcard: u, self: u, account: u };
}

/** Reads the entries of a Principal / NotPrincipal element. */
function entries(element: unknown, name: string, principal: RequestPrincipal): EntryMatch[] {
  if (element === '*') return [{ wildcard: YES, self: NO, account: NO }];
  if (isUnresolved(element)) return [unknownEntry(`${name} is an ${describeUnresolved(element)}`)];
  if (!isRecord(element)) return [unknownEntry(`${name} must be "*" or an object such as {"AWS": …}`)];
  const out: EntryMatch[] = [];
  for (const [type, raw] of Object.entries(element)) {
    const list = valueList(raw, `${name}.${type}`);
    if ('malformed' in list) {
      out.push(unknownEntry(list.malformed));
      continue;
    }
    for (const value of list.values) {
      if (isUnresolved(value)) out.push(unknownEntry(`${name}.${type} has an ${describeUnresolved(value)}`));
      else out.push(entry(type, value, name, principal));
    }
  }
  return out;
}

function entry(type: string, value: string, name: string, principal: RequestPrincipal): EntryMatch {
  switch (type) {
    case 'AWS':
      return awsEntry(value, name, principal);
    case 'Service':
      return principal.kind === 'service' && value.toLowerCase() === principal.arn.toLowerCase()
        ? { wildcard: NO, self: YES, account: NO }
        : NONE;
    case 'Federated':
    case 'CanonicalUser':
      // Web-identity / SAML principals and S3 canonical users are not request principals we model.
      return NONE;
    default:
      return unknownEntry(`${name} has an unknown principal type '${type}'`);
  }
}

function awsEntry(value: string, name: string, principal: RequestPrincipal): EntryMatch {
  if (value === '*') return { wildcard: YES, self: NO, account: NO };
  const account = ACCOUNT_ID.test(value) ? value : ACCOUNT_ROOT.exec(value)?.[1];
  if (account !== undefined) {
    return principal.account === account && principal.kind !== 'service' && principal.kind !== 'anonymous'
      ? { wildcard: NO, self: NO, account: YES }
      : NONE;
  }
  if (/[*?]/.test(value))
    return unknownEntry(`${name} '${value}' uses a wildcard, which AWS does not accept in a principal ARN`);
  const entity = IAM_ENTITY.exec(value);
  if (!entity) return unknownEntry(`${name} '${value}' is neither an account nor an IAM ARN`);
  if (value === principal.arn) return { wildcard: NO, self: YES, account: NO };
  const [, service, entryAccount, resource] = entity as unknown as [string, string, string, string];
  const requester = IAM_ENTITY.exec(principal.arn);
  if (!requester || requester[2] !== entryAccount) return NONE;
  const requesterResource = requester[3]!;
  // A role ARN names every session of the role; a session ARN names one session only.
  if (service === 'iam' && resource.startsWith('role/') && requesterResource.startsWith('assumed-role/')) {
    return sameRoleName(roleName(resource), requesterResource.split('/')[1])
      ? { wildcard: NO, self: YES, account: NO }
      : NONE;
  }
  if (service === 'sts' && resource.startsWith('assumed-role/') && requesterResource.startsWith('role/')) {
    return sameRoleName(resource.split('/')[1], roleName(requesterResource))
      ? unknownEntry(
          `${name} '${value}' names a single session of the role, and the request does not say which session`,
        )
      : NONE;
  }
  return NONE;
}

function roleName(resource: string): string {
  return resource.slice(resource.lastIndexOf('/') + 1);
}

function sameRoleName(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

/** Whether a statement's Principal element names the request's principal (directly, or by its account). */
export function principalMatch(element: unknown, principal: RequestPrincipal): PrincipalMatch {
  const list = entries(element, 'Principal', principal);
  const wildcard = anyOf(list.map((e) => e.wildcard));
  const self = anyOf(list.map((e) => e.self));
  const account = anyOf(list.map((e) => e.account));
  return {
    direct: anyOf([wildcard, self, principal.kind === 'root' ? account : NO]),
    any: anyOf([wildcard, self, account]),
  };
}

/**
 * Whether a statement with a NotPrincipal element applies to the request's principal. AWS checks
 * the account, then the role or user: an IAM role or user is excluded only when the element names
 * both it and its account; the root user when it names the account; a service when it names it.
 */
export function notPrincipalApplies(element: unknown, principal: RequestPrincipal): Verdict {
  const list = entries(element, 'NotPrincipal', principal);
  const wildcard = anyOf(list.map((e) => e.wildcard));
  const self = anyOf(list.map((e) => e.self));
  const account = anyOf(list.map((e) => e.account));
  let excluded: Verdict;
  switch (principal.kind) {
    case 'role':
    case 'user':
      excluded = anyOf([wildcard, allOf([self, account])]);
      break;
    case 'root':
      excluded = anyOf([wildcard, account]);
      break;
    case 'service':
      excluded = anyOf([wildcard, self]);
      break;
    case 'anonymous':
      excluded = wildcard;
      break;
  }
  return not(excluded);
}

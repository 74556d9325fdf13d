/**
 * Tags as configuration: the mandatory tag keys of `mesh.config.yaml` (`policy.tags`), the
 * values products and domains give them (`tags:` of product.yaml and domain.yaml), and the
 * manifest checks run before any synth. Pure: no AWS, no CDK.
 */
import type { DomainManifest, ProductManifest } from './load-config.js';

/** The tag keys Meshkit sets itself from the manifests (and `-` where they do not apply). */
export const BUILTIN_TAG_KEYS = [
  'domain',
  'product',
  'owner',
  'classification',
  'cost-center',
  'contract-version',
] as const;

/** Value of a built-in tag on a stack it does not apply to (e.g. `product` on a domain foundation). */
export const NOT_APPLICABLE_TAG_VALUE = '-';

/** One mandatory tag key of `mesh.config.yaml` `policy.tags`. */
export interface TagRequirement {
  /** The tag key. */
  readonly key: string;
  /** What the tag is for (shown in lint messages). @default none */
  readonly description?: string;
  /** Regular expression (Unicode) every value must match; write `^…$` to match the whole value. @default any non-empty value */
  readonly pattern?: string;
  /** The allowed values. @default any value */
  readonly values?: readonly string[];
  /** Value where no manifest sets one, and on the platform stacks. @default none: domain.yaml or product.yaml must set it */
  readonly default?: string;
  /** ISO date (`YYYY-MM-DD`, UTC) from which a missing or wrong value is an error; before it a warning. @default enforced now */
  readonly enforceFrom?: string;
}

/** `policy.tags` when mesh.config.yaml gives none: the six built-in keys. */
export const DEFAULT_TAG_REQUIREMENTS: readonly TagRequirement[] = Object.freeze(
  BUILTIN_TAG_KEYS.map((key) => ({ key })),
);

/** True for the keys Meshkit sets itself (manifests cannot set them under `tags:`). */
export const isBuiltinTagKey = (key: string): boolean => (BUILTIN_TAG_KEYS as readonly string[]).includes(key);

/** `policy.tags` as written (a key, or an object) → requirements. */
export function tagRequirementsOf(raw: ReadonlyArray<string | TagRequirement> | undefined): TagRequirement[] {
  if (raw === undefined) return [...DEFAULT_TAG_REQUIREMENTS];
  return raw.map((e) => (typeof e === 'string' ? { key: e } : { ...e }));
}

/** Instant (ms) from which an `enforceFrom` date applies (start of that day, UTC). */
export const enforceInstant = (date: string): number => Date.parse(`${date}T00:00:00Z`);

/** `error` when the requirement is enforced at `now`, else `warning`. */
export function requirementLevel(req: Pick<TagRequirement, 'enforceFrom'>, now: Date): 'error' | 'warning' {
  return req.enforceFrom !== undefined && now.getTime() < enforceInstant(req.enforceFrom) ? 'warning' : 'error';
}

/**
 * Why `value` is not allowed for `req`, or `undefined` when it is. The not-applicable `-` always
 * is (stacks a key does not apply to, e.g. the platform stacks); manifests cannot give it.
 */
export function tagValueProblem(req: TagRequirement, value: string): string | undefined {
  if (value === NOT_APPLICABLE_TAG_VALUE) return undefined;
  if (value.trim() === '') return `tag '${req.key}' is empty`;
  if (req.values && !req.values.includes(value))
    return `tag '${req.key}' is '${value}', not one of the allowed values (${req.values.join(', ')})`;
  if (req.pattern !== undefined && !new RegExp(req.pattern, 'u').test(value))
    return `tag '${req.key}' is '${value}', which does not match the pattern ${req.pattern} of mesh.config.yaml policy.tags`;
  return undefined;
}

/** Lint rule ids of the manifest tag checks. */
export const MANIFEST_TAG_RULES = {
  /** A mandatory tag has no value for the product or domain. */
  required: 'MANIFEST-TAG-REQUIRED',
  /** A tag value breaks its pattern or allowed values. */
  value: 'MANIFEST-TAG-VALUE',
  /** A manifest sets a key Meshkit sets itself. */
  reserved: 'MANIFEST-TAG-RESERVED',
} as const;

/** One problem of a manifest's tags; `path` points into the manifest. */
export interface TagFinding {
  readonly rule: (typeof MANIFEST_TAG_RULES)[keyof typeof MANIFEST_TAG_RULES];
  readonly level: 'error' | 'warning';
  readonly message: string;
  /** Path in the manifest (`['tags', key]`, or `['tags']` / `[]` when the key is absent). */
  readonly path: Array<string | number>;
  /** Point at the key rather than the value. */
  readonly key: boolean;
  /** When a warning turns into an error. */
  readonly enforceFrom?: string;
}

function checkTags(
  requirements: readonly TagRequirement[],
  own: Readonly<Record<string, string>> | undefined,
  inherited: Readonly<Record<string, string>> | undefined,
  what: string,
  now: Date,
): TagFinding[] {
  const out: TagFinding[] = [];
  for (const key of Object.keys(own ?? {})) {
    if (isBuiltinTagKey(key)) {
      out.push({
        rule: MANIFEST_TAG_RULES.reserved,
        level: 'error',
        path: ['tags', key],
        key: true,
        message: `tags.${key}: Meshkit sets the '${key}' tag itself from the manifests; remove it here`,
      });
    }
  }
  for (const req of requirements) {
    if (isBuiltinTagKey(req.key)) continue;
    const level = requirementLevel(req, now);
    const when = req.enforceFrom === undefined ? {} : { enforceFrom: req.enforceFrom };
    const later = level === 'warning' ? ` (an error from ${req.enforceFrom})` : '';
    const value = own?.[req.key] ?? inherited?.[req.key] ?? req.default;
    if (value === undefined) {
      const about = req.description ? ` (${req.description})` : '';
      out.push({
        rule: MANIFEST_TAG_RULES.required,
        level,
        path: own === undefined ? [] : ['tags'],
        key: true,
        ...when,
        message: `mandatory tag '${req.key}'${about} has no value for ${what}: set tags.${req.key}${later}`,
      });
      continue;
    }
    const problem =
      own?.[req.key] === NOT_APPLICABLE_TAG_VALUE
        ? `tag '${req.key}' is '-', which Meshkit reserves for stacks a tag does not apply to`
        : tagValueProblem(req, value);
    if (problem && own?.[req.key] !== undefined) {
      out.push({
        rule: MANIFEST_TAG_RULES.value,
        level,
        path: ['tags', req.key],
        key: false,
        ...when,
        message: `${problem}${later}`,
      });
    }
  }
  return out;
}

/**
 * The tag problems of a domain manifest: reserved keys, mandatory tags without a value (the
 * foundation carries the domain's tags, so a key without a `default` must be set here), values
 * breaking their pattern. A requirement whose `enforceFrom` is after `now` gives warnings.
 */
export function checkDomainTags(
  requirements: readonly TagRequirement[],
  domain: Pick<DomainManifest, 'name' | 'tags'>,
  now: Date = new Date(),
): TagFinding[] {
  return checkTags(requirements, domain.tags, undefined, `domain ${domain.name}`, now);
}

/**
 * The tag problems of a product manifest: like {@link checkDomainTags}, a key may also come from
 * the domain's `tags` (then a wrong value is reported at domain.yaml, not here).
 */
export function checkProductTags(
  requirements: readonly TagRequirement[],
  domain: Pick<DomainManifest, 'tags'>,
  product: Pick<ProductManifest, 'domain' | 'name' | 'tags'>,
  now: Date = new Date(),
): TagFinding[] {
  return checkTags(requirements, product.tags, domain.tags, `product ${product.domain}/${product.name}`, now);
}

/**
 * The tags a stack carries besides the built-in ones: the requirements' defaults, then the
 * domain's `tags`, then the product's (later wins). For the platform stacks: the defaults only,
 * `-` for a mandatory key without one.
 */
export function manifestTags(
  requirements: readonly TagRequirement[],
  domainTags?: Readonly<Record<string, string>>,
  productTags?: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of requirements) {
    if (isBuiltinTagKey(r.key)) continue;
    out[r.key] = r.default ?? (domainTags === undefined ? NOT_APPLICABLE_TAG_VALUE : '');
  }
  for (const [k, v] of Object.entries({ ...domainTags, ...productTags })) if (!isBuiltinTagKey(k)) out[k] = v;
  for (const [k, v] of Object.entries(out)) if (v === '') delete out[k];
  return out;
}

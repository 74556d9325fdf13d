import { snakeCase } from '../compile/schema-object.js';

/**
 * The name rules of a repository: domains and products are named in lowercase kebab-case, 2–40
 * characters, and a product is referred to as `<domain>/<product>`.
 */

/** The shape of a domain or product name: lowercase kebab-case (a-z, 0-9 and single dashes, starting with a letter). */
export const NAME_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** Shortest name of a domain or product. */
export const NAME_MIN_LENGTH = 2;

/** Longest name of a domain or product. */
export const NAME_MAX_LENGTH = 40;

/** {@link NAME_PATTERN} without its anchors, to build larger patterns from. */
export const NAME_SOURCE = NAME_PATTERN.source.slice(1, -1);

/** `<domain>/<product>`, each part matching {@link NAME_PATTERN} (groups 1 and 2: the domain and the product). */
export const PRODUCT_REF_PATTERN = new RegExp(`^(${NAME_SOURCE})\\/(${NAME_SOURCE})$`);

/** Whether `value` has the shape of a name ({@link NAME_PATTERN}); the length is not checked. */
export function isNameShaped(value: unknown): value is string {
  return typeof value === 'string' && NAME_PATTERN.test(value);
}

/** Whether `value` is a valid domain or product name: {@link NAME_PATTERN} and 2–40 characters. */
export function isMeshName(value: unknown): value is string {
  return isNameShaped(value) && value.length >= NAME_MIN_LENGTH && value.length <= NAME_MAX_LENGTH;
}

/**
 * Why `name` is not acceptable as a domain or product name, or `undefined` when it is: slashes,
 * dots, the length (2–40), a reserved name, then the kebab-case shape — in that order, so the
 * message names what a person most likely got wrong.
 * @param reserved names that may not be taken (folders of the repository and of a product…). @default []
 */
export function nameProblem(name: string, reserved: readonly string[] = []): string | undefined {
  if (/[/\\]/.test(name)) return 'must not contain slashes';
  if (name.includes('.')) return 'must not contain dots';
  if (name.length < NAME_MIN_LENGTH || name.length > NAME_MAX_LENGTH)
    return `must be ${NAME_MIN_LENGTH}–${NAME_MAX_LENGTH} characters (it has ${name.length})`;
  if (reserved.includes(name)) return `is reserved (reserved: ${reserved.join(', ')})`;
  if (!NAME_PATTERN.test(name))
    return 'must be lowercase kebab-case (a-z, 0-9 and single dashes, starting with a letter)';
  return undefined;
}

/** A product of a repository by name. */
export interface ProductRef {
  domain: string;
  product: string;
}

/** `<domain>/<product>` parsed ({@link PRODUCT_REF_PATTERN}), or `undefined` when `ref` is not one. */
export function parseProductRef(ref: string): ProductRef | undefined {
  const m = PRODUCT_REF_PATTERN.exec(ref);
  return m ? { domain: m[1]!, product: m[2]! } : undefined;
}

/** `<domain>/<product>`. */
export function formatProductRef(ref: ProductRef): string {
  return `${ref.domain}/${ref.product}`;
}

/**
 * The view a consumed product is read through in a consumer's transform.sql (and in the Glue job):
 * `<domain>_<product>` in snake_case (`sales/order-events` → `sales_order_events`).
 * @param ref `<domain>/<product>` or its parts
 */
export function consumedViewName(ref: string | ProductRef): string {
  const [domain = '', product = ''] = typeof ref === 'string' ? ref.split('/') : [ref.domain, ref.product];
  return `${snakeCase(domain)}_${snakeCase(product)}`;
}

import { snakeCase } from '../compile/schema-object.js';

/** Lowercase kebab-case slug of an organisation name (`Acme Corp.` → `acme-corp`), used in resource names. */
export function organisationSlug(organisation: string): string {
  return organisation
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Glue database of a domain: the domain name in snake_case (`order-mgmt` → `order_mgmt`). */
export function domainDatabaseName(domain: string): string {
  return domain.replace(/-/g, '_');
}

/** Glue table of one major of a product's output port: `<product in snake_case>_v<major>` (`campaign-performance`, 2 → `campaign_performance_v2`). */
export function productTableName(product: string, major: number): string {
  return `${snakeCase(product)}_v${major}`;
}

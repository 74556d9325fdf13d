import type { ProductIntent, ProductManifest } from '@meshkit/contracts';
import type { DataProduct } from './data-product.js';
import { outputPortNames, type ProductPlan } from './product-inputs.js';

/**
 * What a product stack means to do ({@link ProductIntent}, recorded in the template's metadata):
 * the product's formats, prefix, job, tables, classification and resolved `consumes` edges.
 */
export function productIntent(
  product: Pick<DataProduct, 'domainName' | 'productName' | 'classification' | 'criticality'>,
  manifest: ProductManifest,
  databaseName: string,
  restrictedColumns: readonly string[],
  plan: ProductPlan,
): ProductIntent {
  const { domainName, productName } = product;
  return {
    domain: domainName,
    product: productName,
    mode: manifest.ingestion.mode,
    landingFormat: plan.landingFormat,
    jobInputFormat: plan.jobInputFormat,
    rawPrefix: plan.rawPrefix,
    jobName: plan.jobName,
    databaseName,
    tables: [
      plan.port.tableName,
      ...plan.served.map((m) => outputPortNames(domainName, productName, m.major).tableName),
    ],
    classification: product.classification,
    restrictedColumns,
    consumes: plan.consumes.map((c) => ({
      product: c.product,
      range: c.range,
      major: c.major,
      databaseName: c.databaseName,
      tableName: c.tableName,
      ...(c.columns ? { columns: [...c.columns] } : {}),
      ...(c.producerAccount !== undefined
        ? { producerAccount: c.producerAccount, ...(c.link ? { link: c.link } : {}) }
        : {}),
    })),
    criticality: product.criticality,
  };
}

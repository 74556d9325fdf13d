import { asClassification, CLASSIFICATION_ORDER, columnName } from '@meshkit/contracts';
import type { ProductLintRule } from './types.js';

/** PRODUCT-CLASSIFICATION-COLUMN: a restricted column does not sit in a public or internal product. */
export const classificationColumn: ProductLintRule = {
  id: 'PRODUCT-CLASSIFICATION-COLUMN',
  defaultSeverity: 'warn',
  rationale:
    "The product's classification drives its defaults (retention, lifecycle tiers, CloudTrail data events, who may read the table); a restricted column in an internal product gets only a column LF-tag, and the bucket, trail and retention of an internal product.",
  description:
    'When product.yaml declares `classification: public` or `internal` and a property of the contract (top-level or ' +
    'nested) is classified `restricted`, the product is reported at `classification`, naming the columns: classify the product ' +
    '`restricted` (or declassify the column). A product without an explicit classification takes the most sensitive ' +
    'classification of its columns and is not reported.',
  *check({ product }) {
    const declared = product.manifest.classification;
    if (declared === undefined || CLASSIFICATION_ORDER.indexOf(declared) > CLASSIFICATION_ORDER.indexOf('internal'))
      return;
    const c = product.readContract();
    if (!('loaded' in c) || !c.loaded.contract) return;
    const restricted: string[] = [];
    type Node = {
      name?: string;
      physicalName?: string;
      classification?: unknown;
      properties?: unknown;
      items?: unknown;
    };
    const visit = (node: Node, prefix: string) => {
      const name = node.name === undefined ? prefix : `${prefix}${prefix ? '.' : ''}${columnName(node)}`;
      if (asClassification(node.classification) === 'restricted' && node.name !== undefined) restricted.push(name);
      if (Array.isArray(node.properties)) for (const p of node.properties) visit(p as Node, name);
      if (node.items !== null && typeof node.items === 'object') visit(node.items, name);
    };
    for (const o of c.loaded.contract.schema ?? []) for (const p of (o.properties ?? []) as Node[]) visit(p, '');
    if (restricted.length === 0) return;
    yield {
      path: ['classification'],
      message:
        `the product is classified ${declared} but column${restricted.length > 1 ? 's' : ''} ${restricted.join(', ')} ${restricted.length > 1 ? 'are' : 'is'} restricted: ` +
        'classify the product restricted (its retention, lifecycle tiers and audit trail then follow) or declassify the column',
    };
  },
};

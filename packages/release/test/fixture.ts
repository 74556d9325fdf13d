/** The example mesh's sales/orders product folder, relative to a mesh root. */
export const ORDERS = 'domains/sales/products/orders';

// The team's additions to the sales/clickstream stack (alarms, extra grants, consumers'
// resources…). The stack itself (zones, ingestion, Glue job, table, quality ruleset, LF-tags) is
// built by @meshkit/core in infra/app.ts; anything added here is checked by the same policy pack.
// Rendered by @meshkit/domain-template; `mesh upgrade` 3-way merges this file.
import type { Stack } from 'aws-cdk-lib';
import type { MeshProduct } from '@meshkit/core';

/** Called once with the product stack after @meshkit/core built it. */
export function customize(stack: Stack, product: MeshProduct): void {
  // e.g. new Alarm(stack, 'LateData', { … }) or product.manifest.criticality-dependent settings.
  if (!stack || !product) throw new Error('customize needs the stack and the product');
}

// The marketing domain's additions to its foundation stack (mesh-marketing-foundation): e.g. a
// stricter key setting an organisation policy asks for, an extra alarm. The foundation itself
// (KMS key, Glue database, Athena workgroup, LF-tags) is built by @meshkit/core's DomainFoundation
// from ../domain.yaml; anything added or changed here is checked by the same policy packs.
// Rendered by @meshkit/domain-template; `mesh upgrade` 3-way merges this file.
import type { Stack } from 'aws-cdk-lib';
import type { MeshDomain } from '@meshkit/core';

/** Called once with the foundation stack after @meshkit/core built it (its DomainFoundation is `stack.node.findChild('Foundation')`). */
export function customize(stack: Stack, domain: MeshDomain): void {
  // e.g. (stack.node.findChild('Foundation').node.findChild('Key').node.defaultChild as kms.CfnKey).rotationPeriodInDays = 180;
  if (!stack || !domain) throw new Error('customize needs the stack and the domain');
}

// Small pure helpers shared by the product lint rules.

import { closeMatches } from '@meshkit/contracts';

/** The candidate closest to `input` (see closeMatches of @meshkit/contracts), if any. */
export function closeMatch(input: string, candidates: readonly string[]): string | undefined {
  return closeMatches(input, candidates, 1)[0];
}

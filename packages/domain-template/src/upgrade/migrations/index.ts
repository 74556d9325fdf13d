import type { Migration } from '../migrate.js';

/**
 * The template's migrations, one per template version that needs one (e.g. `./0.2.0.ts`),
 * listed here in version order. `mesh upgrade` runs those with a version after the recorded one
 * and up to the target, on the working tree in memory, before merging. Each must be idempotent.
 *
 * None yet: version 0.1.0 is the first template version.
 */
export const MIGRATIONS: readonly Migration[] = [];

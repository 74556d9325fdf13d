import { fileURLToPath } from 'node:url';

/** The repository root, with a trailing separator (this file is `packages/testing/{src,dist}/repo.*`). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Environment variable of the `@meshkit/testing/pause-at-link` preload: how long it blocks, in ms. @default 60000 */
export const PAUSE_AT_LINK_ENV = 'MESHKIT_TESTING_PAUSE_AT_LINK_MS';

/** The stderr line prefix the `@meshkit/testing/pause-at-link` preload writes when it pauses: `PAUSED_AT_LINK <temp path>`. */
export const PAUSED_AT_LINK = 'PAUSED_AT_LINK';

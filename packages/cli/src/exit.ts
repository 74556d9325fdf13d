/** Exit codes of every `mesh` command. */
export const EXIT = {
  /** Success; warnings allowed. */
  OK: 0,
  /** Findings at error level or failed checks (e.g. an incompatible diff). */
  FAILED: 1,
  /** Bad usage or unreadable input. */
  USAGE: 2,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

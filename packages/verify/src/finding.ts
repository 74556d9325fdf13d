/** One thing `mesh verify` proved wrong (or could not prove). */
export interface VerifyFinding {
  /** Stable id `VERIFY-<AREA>-<NAME>` (see docs/verify-checks.md). */
  id: string;
  /** Stack of the resource the finding is about. */
  stack: string;
  /** Logical id of the resource in that stack. */
  logicalId: string;
  /** What is wrong, naming who/what and how it shows. */
  message: string;
  /** `<domain>/<product>` concerned, when there is one. */
  product?: string;
}

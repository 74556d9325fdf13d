/** Inputs of {@link changesetFor}. */
export interface ChangesetInput {
  /** npm package name of the upgraded product or domain foundation. */
  packageName: string;
  /** `<domain>/<product>`, `<domain>` or `platform`. */
  unitId: string;
  template: string;
  from: string;
  to: string;
}

/**
 * The changeset recorded for an upgraded unit: its file name under `.changeset/` and its
 * content — a `patch` bump of the unit's package with a one-line summary.
 */
export function changesetFor(c: ChangesetInput): { name: string; content: string } {
  const slug = `${c.unitId}-${c.to}`
    .replace(/[^a-z0-9]+/gi, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
  return {
    name: `meshkit-upgrade-${slug}.md`,
    content: `---\n${JSON.stringify(c.packageName)}: patch\n---\n\nUpgrade ${c.unitId} to ${c.template} ${c.to} (from ${c.from}).\n`,
  };
}

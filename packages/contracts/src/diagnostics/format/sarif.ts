import type { Diagnostic, Severity } from '../diagnostic.js';
import type { FormatOptions, RuleMetadata } from './options.js';
import { pathToUri, relativePath } from './paths.js';

/** SARIF `level` of a diagnostic severity. */
export function sarifLevel(severity: Severity | RuleMetadata['defaultSeverity']): 'error' | 'warning' | 'note' {
  return severity === 'error' ? 'error' : severity === 'warn' || severity === 'warning' ? 'warning' : 'note';
}

interface SarifRule {
  id: string;
  shortDescription?: { text: string };
  fullDescription?: { text: string };
  defaultConfiguration: { level: 'error' | 'warning' | 'note' };
}

/**
 * SARIF 2.1.0 (one run): `tool.driver` with `name` (`options.toolName`, default `mesh`), optional
 * `version` and `informationUri`, and `rules` — first `options.rules`, then any other rule id a
 * diagnostic uses; `results` with `ruleId`, `ruleIndex`, `level` (error, warning, note),
 * `message.text` and one physical location (relative URI with forward slashes, 1-based region).
 */
export function formatSarif(diagnostics: readonly Diagnostic[], options: FormatOptions = {}): string {
  const rules: SarifRule[] = [];
  const index = new Map<string, number>();
  const addRule = (r: SarifRule): void => {
    index.set(r.id, rules.length);
    rules.push(r);
  };
  for (const m of options.rules ?? []) {
    if (index.has(m.id)) continue;
    addRule({
      id: m.id,
      ...(m.rationale ? { shortDescription: { text: m.rationale } } : {}),
      ...(m.description ? { fullDescription: { text: m.description } } : {}),
      defaultConfiguration: { level: sarifLevel(m.defaultSeverity ?? 'warn') },
    });
  }
  for (const d of diagnostics) {
    if (index.has(d.rule)) continue;
    addRule({
      id: d.rule,
      shortDescription: { text: d.rationale ?? d.rule },
      defaultConfiguration: { level: sarifLevel(d.severity) },
    });
  }
  const results = diagnostics.map((d) => {
    const { file, line, column, endLine, endColumn } = d.location;
    const region: Record<string, number> = { startLine: line, startColumn: column };
    if (endLine !== undefined) {
      region.endLine = endLine;
      if (endColumn !== undefined) region.endColumn = endColumn;
    }
    return {
      ruleId: d.rule,
      ruleIndex: index.get(d.rule)!,
      level: sarifLevel(d.severity),
      message: { text: d.message },
      locations: [
        { physicalLocation: { artifactLocation: { uri: pathToUri(relativePath(file, options.baseDir)) }, region } },
      ],
    };
  });
  const driver = {
    name: options.toolName ?? 'mesh',
    ...(options.toolVersion ? { version: options.toolVersion } : {}),
    ...(options.informationUri ? { informationUri: options.informationUri } : {}),
    rules,
  };
  return (
    JSON.stringify(
      {
        $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
        version: '2.1.0',
        runs: [{ tool: { driver }, results }],
      },
      null,
      2,
    ) + '\n'
  );
}

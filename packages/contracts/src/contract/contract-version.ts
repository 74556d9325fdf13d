/**
 * Writing a new version into a contract file: only the value of the top-level `version:` key is
 * replaced (located through the `yaml` Document's source ranges), so comments, quoting, key order
 * and every other byte of the file survive.
 */
import { isMap, isScalar, LineCounter, parseDocument, Scalar } from 'yaml';
import { MeshError } from '../errors.js';

/**
 * `text` with its top-level `version` value replaced by `version`, keeping the scalar's quoting
 * style (plain, 'single' or "double").
 * @throws MeshError (INVALID_CONTRACT, exit 2) when the document has no top-level scalar
 * `version`, or YAML_SYNTAX when it does not parse.
 */
export function setContractVersion(text: string, version: string, file: string): string {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { keepSourceTokens: true, lineCounter });
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    throw new MeshError('YAML_SYNTAX', error.message.split('\n')[0]!, {
      file,
      ...(pos ? { line: pos.line, column: pos.col } : {}),
    });
  }
  if (!isMap(doc.contents)) throw new MeshError('INVALID_CONTRACT', 'the contract is not a YAML mapping', { file });
  const node = doc.contents.get('version', true);
  if (!isScalar(node) || !node.range) {
    throw new MeshError(
      'INVALID_CONTRACT',
      'the contract has no top-level scalar `version` to write the new version into',
      { file },
    );
  }
  const [start, end] = node.range;
  const literal =
    node.type === Scalar.QUOTE_DOUBLE
      ? JSON.stringify(version)
      : node.type === Scalar.QUOTE_SINGLE
        ? `'${version.replace(/'/g, "''")}'`
        : node.type === Scalar.PLAIN
          ? version
          : (() => {
              const pos = lineCounter.linePos(start);
              throw new MeshError(
                'INVALID_CONTRACT',
                'the contract `version` is a block scalar: write it as a plain value (version: 1.2.3)',
                { file, line: pos.line, column: pos.col },
              );
            })();
  return text.slice(0, start) + literal + text.slice(end);
}

/** The top-level `version` of a contract's text as a string; undefined when absent. */
export function readContractVersion(text: string): string | undefined {
  const doc = parseDocument(text);
  const v: unknown = isMap(doc.contents) ? doc.contents.get('version') : undefined;
  return v === undefined || v === null ? undefined : String(v);
}

/** 1-based line and column of the top-level `version` value in `text` (1:1 when absent). */
export function versionPosition(text: string): { line: number; column: number } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const node = isMap(doc.contents) ? doc.contents.get('version', true) : undefined;
  if (!isScalar(node) || !node.range) return { line: 1, column: 1 };
  const pos = lineCounter.linePos(node.range[0]);
  return { line: pos.line, column: pos.col };
}

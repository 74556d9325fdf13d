/**
 * `mesh contract upgrade`: rewrites an ODCS v3.0.x contract as v3.1.0. The `yaml` Document API
 * locates every node to change; only those characters are rewritten (splices at the node ranges),
 * so comments, key order, quoting, flow/block style and indentation stay byte for byte. The
 * edits are those of `contract/v30.ts` — the same ones the loader applies when it reads a v3.0.x
 * contract — so the upgraded file diffs as "no change" against the original (checked before
 * anything is written).
 */
import {
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap,
} from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diffContracts } from '../diff/diff.js';
import { MeshError } from '../errors.js';
import { LATEST_API_VERSION } from '../odcs.js';
import { parseContract, type LoadedContract } from './load-contract.js';
import { v30Edits, V30_LIBRARY_RULES, type V30Edit } from './v30.js';

/** Result of {@link upgradeContractText}. */
export interface UpgradeResult {
  /** The upgraded text (the input when there was nothing to do). */
  text: string;
  /** `upgraded`, or `current` when the contract already is v3.1.0. */
  outcome: 'upgraded' | 'current';
  /** The version the input declared. */
  from: string;
  /** One line per rewrite, `line:col what`, in document order. */
  edits: string[];
}

type Path = Array<string | number>;

/** A replacement of `text[start, end)`. */
interface Splice {
  start: number;
  end: number;
  text: string;
}

/**
 * Edits of the source text at the ranges of the `yaml` nodes: only the characters that change are
 * touched, so comments, quoting, flow or block style and indentation everywhere else stay byte
 * for byte.
 */
class TextEdits {
  readonly splices: Splice[] = [];
  constructor(
    readonly text: string,
    readonly doc: Document,
  ) {}

  node(path: Path): Node {
    const node = path.length ? this.doc.getIn(path, true) : this.doc.contents;
    if (!node || typeof node !== 'object') throw new Error(`internal: no node at ${path.join('.')}`);
    return node as Node;
  }

  map(path: Path): YAMLMap {
    const m = this.node(path);
    if (!isMap(m)) throw new Error(`internal: no mapping at ${path.join('.')}`);
    return m;
  }

  pair(map: YAMLMap, key: string): Pair<Scalar, Node> {
    const p = map.items.find((x) => isScalar(x.key) && x.key.value === key) as Pair<Scalar, Node> | undefined;
    if (!p) throw new Error(`internal: no key ${key}`);
    return p;
  }

  lineStart(off: number): number {
    return this.text.lastIndexOf('\n', off - 1) + 1;
  }
  lineEnd(off: number): number {
    const i = this.text.indexOf('\n', off);
    return i < 0 ? this.text.length : i;
  }
  column(off: number): number {
    return off - this.lineStart(off);
  }

  /** Replaces a scalar's value, keeping its quotes. */
  scalar(node: Node | null | undefined, value: string): void {
    const r = node?.range;
    if (!r) throw new Error('internal: scalar without range');
    const src = this.text.slice(r[0], r[1]);
    const q = src[0] === '"' || src[0] === "'" ? src[0] : '';
    this.splices.push({ start: r[0], end: r[1], text: q + value + q });
  }

  /** Removes a block mapping pair with its whole lines. */
  removePair(p: Pair<Scalar, Node>): void {
    const from = this.lineStart(p.key.range![0]);
    const last = p.value?.range?.[1] ?? p.key.range![1];
    const to = this.text[last - 1] === '\n' ? last : Math.min(this.lineEnd(last) + 1, this.text.length);
    this.splices.push({ start: from, end: to, text: '' });
  }

  /** Indents every non-blank line of `[from, to)` by `by` spaces. */
  indent(from: number, to: number, by: number): void {
    if (by <= 0) return;
    for (let off = this.lineStart(from); off < to; off = this.lineEnd(off) + 1) {
      if (this.lineEnd(off) > off) this.splices.push({ start: off, end: off, text: ' '.repeat(by) });
      if (this.lineEnd(off) >= this.text.length) break;
    }
  }

  /** Offset just after the last line of a block node. */
  after(node: Node): number {
    const end = node.range![1];
    return this.text[end - 1] === '\n' ? end : Math.min(this.lineEnd(end) + 1, this.text.length);
  }

  apply(): string {
    let out = this.text;
    // From the end backwards; insertions at one offset in reverse order, so they read in the order made.
    const order = this.splices
      .map((s, i) => ({ s, i }))
      .sort((a, b) => b.s.start - a.s.start || b.s.end - a.s.end || b.i - a.i);
    for (const { s } of order) out = out.slice(0, s.start) + s.text + out.slice(s.end);
    return out;
  }
}

/** The indentation step of the document (2 unless it uses another). */
function stepOf(text: string): number {
  const m = /^([^\s#-][^\n]*):[ \t]*(?:#[^\n]*)?\n( +)[^\s-]/m.exec(text);
  return Math.min(Math.max(m?.[2]?.length ?? 2, 1), 8);
}

/** Applies one v3.0 → v3.1.0 edit to the text; returns what it did, as the upgrade reports it. */
function applyEdit(t: TextEdits, e: V30Edit, step: number): string {
  switch (e.kind) {
    case 'team':
      return moveTeamMembers(t, step);
    case 'rule':
      return renameRule(t, e, step);
    case 'exclusiveBound': {
      const map = t.map(e.path);
      const bound = t.pair(map, e.bound);
      const from = t.pair(map, e.from);
      const r = from.value!.range!;
      t.splices.push({ start: bound.value!.range![0], end: bound.value!.range![1], text: t.text.slice(r[0], r[1]) });
      t.removePair(from);
      return `${e.bound}: true with ${e.from}: ${String(e.value)} → ${e.bound}: ${String(e.value)}`;
    }
    case 'dropFalseBound':
      t.removePair(t.pair(t.map(e.path), e.bound));
      return `${e.bound}: false removed (the v3.1.0 default)`;
    case 'timestamp':
      t.scalar(t.pair(t.map(e.path), 'logicalType').value, 'timestamp');
      return 'logicalType: date on a timestamp physical type → logicalType: timestamp';
    case 'unknownRule':
      return '';
  }
}

/** The v3.0 team array becomes `team.members`. */
function moveTeamMembers(t: TextEdits, step: number): string {
  const pair = t.pair(t.map([]), 'team');
  const seq = pair.value!;
  const keyCol = t.column(pair.key.range![0]);
  if (isSeq(seq) && seq.flow) {
    t.splices.push({ start: seq.range![0], end: seq.range![0], text: `\n${' '.repeat(keyCol + step)}members: ` });
  } else {
    const seqCol = t.column(seq.range![0]);
    const membersCol = keyCol + step;
    const wantSeqCol = seqCol > keyCol ? membersCol + step : membersCol;
    const at = t.lineStart(seq.range![0]);
    t.splices.push({ start: at, end: at, text: `${' '.repeat(membersCol)}members:\n` });
    t.indent(seq.range![0], seq.range![1], wantSeqCol - seqCol);
  }
  return 'team array → team.members';
}

/**
 * A v3.0 library rule: `rule:` → `metric:` with the v3.1.0 name, `validValues` moved under
 * `arguments`, and the operator the v3.0 check implied added.
 */
function renameRule(t: TextEdits, e: Extract<V30Edit, { kind: 'rule' }>, step: number): string {
  const map = t.map(e.path);
  const rule = t.pair(map, 'rule');
  const was = String(isScalar(rule.value) ? rule.value.value : '');
  t.scalar(rule.key, 'metric');
  t.scalar(rule.value, e.metric);
  const keyCol = t.column(rule.key.range![0]);
  if (e.validValues) {
    const valid = t.pair(map, 'validValues');
    if (map.flow) {
      t.splices.push({ start: valid.key.range![0], end: valid.key.range![0], text: 'arguments: { ' });
      t.splices.push({ start: valid.value!.range![1], end: valid.value!.range![1], text: ' }' });
    } else {
      t.splices.push({
        start: valid.key.range![0],
        end: valid.key.range![0],
        text: `arguments:\n${' '.repeat(keyCol + step)}`,
      });
      const v = valid.value!;
      if (!(isSeq(v) && v.flow) && t.lineStart(v.range![0]) !== t.lineStart(valid.key.range![0]))
        t.indent(v.range![0], v.range![1], step);
    }
  }
  for (const [k, v] of Object.entries(e.addOperator ?? {})) {
    if (map.flow) {
      const last = map.items[map.items.length - 1]!;
      const end = (last.value as Node | null)?.range?.[1] ?? (last.key as Node).range![1];
      t.splices.push({ start: end, end, text: `, ${k}: ${String(v)}` });
    } else {
      const at = t.after(map);
      t.splices.push({
        start: at,
        end: at,
        text: `${t.text[at - 1] === '\n' || at === 0 ? '' : '\n'}${' '.repeat(keyCol)}${k}: ${String(v)}\n`,
      });
    }
  }
  return `rule: ${was} → metric: ${e.metric}${e.validValues ? ' (validValues → arguments.validValues)' : ''}${
    e.addOperator
      ? ` (+ ${Object.entries(e.addOperator)
          .map(([k, v]) => `${k}: ${String(v)}`)
          .join(', ')}, what the v3.0 check meant)`
      : ''
  }`;
}

/**
 * Upgrades the text of an ODCS v3.0.x contract to v3.1.0: `apiVersion`, the team array (→
 * `team.members`), library rules (`rule:` → `metric:` with the v3.0 names mapped — nullCheck →
 * nullValues, duplicateCount → duplicateValues, validValues → invalidValues with
 * `arguments.validValues` — and the implicit `mustBe: 0` of a bare check made explicit), boolean
 * `exclusiveMinimum`/`exclusiveMaximum` (→ the bound's value), and `logicalType: date` on a
 * timestamp physical type (→ `timestamp`). Comments and formatting are kept.
 *
 * @throws MeshError `INVALID_CONTRACT` (exit 1) when the contract is not valid for its version
 * (`details` carries the diagnostics) or uses a v3.0 rule with no v3.1.0 equivalent;
 * `UNSUPPORTED_API_VERSION` (exit 2) for other versions (v2 included).
 */
export function upgradeContractText(file: string, text: string): UpgradeResult {
  const loaded = parseContract(file, text);
  const from = String((loaded.source.data as Record<string, unknown>).apiVersion);
  if (!loaded.contract) {
    const first = loaded.diagnostics[0];
    throw new MeshError(
      'INVALID_CONTRACT',
      `not a valid ODCS ${from} contract (${loaded.diagnostics.length} problem${loaded.diagnostics.length === 1 ? '' : 's'}): fix it first, then upgrade`,
      { file, line: first?.location.line, column: first?.location.column, exitCode: 1, details: loaded.diagnostics },
    );
  }
  if (from === LATEST_API_VERSION) return { text, outcome: 'current', from, edits: [] };
  const edits = v30Edits(loaded.source.data);
  const unknown = edits.filter((e): e is Extract<V30Edit, { kind: 'unknownRule' }> => e.kind === 'unknownRule');
  if (unknown.length) {
    const details: Diagnostic[] = unknown.map((e) => ({
      rule: 'ODCS-UPGRADE',
      severity: 'error',
      location: loaded.source.locate([...e.path, 'rule']),
      path: e.path.join('.'),
      message:
        `quality rule '${e.rule}' has no ODCS v3.1.0 equivalent Meshkit knows (known: ${Object.keys(V30_LIBRARY_RULES).join(', ')}; ` +
        'a bare rowCount/countCheck needs an operator): rewrite it by hand as metric + operator',
    }));
    throw new MeshError(
      'INVALID_CONTRACT',
      `${details.length} quality rule${details.length === 1 ? '' : 's'} cannot be upgraded automatically: nothing was written`,
      { file, line: details[0]!.location.line, column: details[0]!.location.column, exitCode: 1, details },
    );
  }
  const doc = parseDocument(text, { uniqueKeys: false });
  const edit = new TextEdits(text, doc);
  const log: string[] = [];
  const where = (path: Path) => {
    const l = loaded.source.locate(path);
    return `${l.line}:${l.column}`;
  };
  edit.scalar(edit.pair(edit.map([]), 'apiVersion').value, LATEST_API_VERSION);
  log.push(`${where(['apiVersion'])} apiVersion: ${from} → ${LATEST_API_VERSION}`);
  const step = stepOf(text);
  for (const e of edits) log.push(`${where(e.path)} ${applyEdit(edit, e, step)}`);
  const out = edit.apply();
  verify(file, loaded, out);
  return { text: out, outcome: 'upgraded', from, edits: log };
}

/** The upgraded text must be a valid v3.1.0 contract with no change against the original. */
function verify(file: string, original: LoadedContract, text: string): void {
  const upgraded = parseContract(file, text);
  const changes = upgraded.contract
    ? diffContracts(
        [{ contract: original.contract!, source: original.source }],
        { contract: upgraded.contract, source: upgraded.source },
        { mode: 'FULL' },
      ).changes
    : [];
  if (!upgraded.contract || upgraded.diagnostics.length || changes.length) {
    const why = [...upgraded.diagnostics, ...changes].map((d) => d.message).join('; ');
    throw new Error(`internal: the upgrade of ${file} is not equivalent to the original (${why})`);
  }
}

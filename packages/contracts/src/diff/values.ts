/**
 * Value helpers of the compatibility diff: structural equality, canonical JSON for set membership,
 * and the pairing of old and new list items.
 */

/** A plain JSON object. */
export type Obj = Record<string, unknown>;

/** True for a plain object (not null, not an array). */
export const isObj = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value when it is an array, else an empty list. */
export const list = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

/** A value as a message shows it: strings bare, `(none)` for absent, JSON otherwise. */
export const show = (value: unknown): string =>
  value === undefined ? '(none)' : typeof value === 'string' ? value : JSON.stringify(value);

/** Structural equality, ignoring key order (`undefined` values count as absent). */
export function deepEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
  if (Array.isArray(left) || Array.isArray(right)) {
    if (!Array.isArray(left) || !Array.isArray(right) || left.length !== right.length) return false;
    for (let index = 0; index < left.length; index++) if (!deepEqual(left[index], right[index])) return false;
    return true;
  }
  const leftKeys = Object.keys(left).filter((key) => (left as Obj)[key] !== undefined);
  const rightKeys = Object.keys(right).filter((key) => (right as Obj)[key] !== undefined);
  if (leftKeys.length !== rightKeys.length) return false;
  for (const key of leftKeys) if (!deepEqual((left as Obj)[key], (right as Obj)[key])) return false;
  return true;
}

/** The result of {@link pairItems}: indexes into the old and the new list. */
export interface ItemPairing {
  /** `[oldIndex, newIndex]` of each matched pair. */
  pairs: Array<[number, number]>;
  /** Old items without a partner. */
  removed: number[];
  /** New items without a partner. */
  added: number[];
}

/** The pairing under construction: which indexes of each side are taken. */
class Pairing {
  readonly pairs: Array<[number, number]> = [];
  readonly usedOld = new Set<number>();
  readonly usedNew = new Set<number>();

  pair(oldIndex: number, newIndex: number): void {
    this.pairs.push([oldIndex, newIndex]);
    this.usedOld.add(oldIndex);
    this.usedNew.add(newIndex);
  }
}

/** Pairs the items whose ids are equal strings (the first new item of each id). */
function pairById<T>(olds: readonly T[], news: readonly T[], idOf: (item: T) => unknown, pairing: Pairing): void {
  const newById = new Map<string, number>();
  news.forEach((item, newIndex) => {
    const id = idOf(item);
    if (typeof id === 'string' && !newById.has(id)) newById.set(id, newIndex);
  });
  if (!newById.size) return;
  olds.forEach((item, oldIndex) => {
    const id = idOf(item);
    const newIndex = typeof id === 'string' ? newById.get(id) : undefined;
    if (newIndex !== undefined && !pairing.usedNew.has(newIndex)) pairing.pair(oldIndex, newIndex);
  });
}

/**
 * Pairs old and new list items: by id when both sides have one, else by `keyOf` (items whose ids
 * both exist and differ are never paired). Items sharing a key are paired equal-first, then in
 * order of appearance, so reordering never counts.
 */
export function pairItems<T>(
  olds: readonly T[],
  news: readonly T[],
  idOf: (item: T) => unknown,
  keyOf: (item: T) => string,
): ItemPairing {
  const pairing = new Pairing();
  pairById(olds, news, idOf, pairing);
  const groups = new Map<string, { olds: number[]; news: number[] }>();
  const groupOf = (key: string): { olds: number[]; news: number[] } => {
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { olds: [], news: [] }));
    return group;
  };
  olds.forEach((item, oldIndex) => {
    if (!pairing.usedOld.has(oldIndex)) groupOf(keyOf(item)).olds.push(oldIndex);
  });
  news.forEach((item, newIndex) => {
    if (!pairing.usedNew.has(newIndex)) groupOf(keyOf(item)).news.push(newIndex);
  });
  const hasId = (item: T): boolean => typeof idOf(item) === 'string';
  const canPair = (oldIndex: number, newIndex: number): boolean =>
    !pairing.usedNew.has(newIndex) && !(hasId(olds[oldIndex]!) && hasId(news[newIndex]!));
  for (const group of groups.values()) {
    if (!group.olds.length || !group.news.length) continue;
    for (const oldIndex of group.olds) {
      const newIndex = group.news.find(
        (candidate) => canPair(oldIndex, candidate) && deepEqual(olds[oldIndex], news[candidate]),
      );
      if (newIndex !== undefined) pairing.pair(oldIndex, newIndex);
    }
    for (const oldIndex of group.olds) {
      if (pairing.usedOld.has(oldIndex)) continue;
      const newIndex = group.news.find((candidate) => canPair(oldIndex, candidate));
      if (newIndex !== undefined) pairing.pair(oldIndex, newIndex);
    }
  }
  return {
    pairs: pairing.pairs,
    removed: olds.map((_, oldIndex) => oldIndex).filter((oldIndex) => !pairing.usedOld.has(oldIndex)),
    added: news.map((_, newIndex) => newIndex).filter((newIndex) => !pairing.usedNew.has(newIndex)),
  };
}

/** Levenshtein distance between two strings (case-insensitive). */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[t.length]!;
}

/**
 * Candidates close to `input`, best first: those within an edit distance of a third of the
 * longer string (at least 2), plus those containing it or contained in it (ignoring case).
 *
 * @param max most suggestions returned. @default 3
 */
export function closeMatches(input: string, candidates: readonly string[], max = 3): string[] {
  const lower = input.toLowerCase();
  return candidates
    .map((c) => ({ c, d: editDistance(input, c) }))
    .filter(
      ({ c, d }) =>
        d <= Math.max(2, Math.floor(Math.max(c.length, input.length) / 3)) ||
        (lower.length >= 3 && (c.toLowerCase().includes(lower) || lower.includes(c.toLowerCase()))),
    )
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, max)
    .map(({ c }) => c);
}

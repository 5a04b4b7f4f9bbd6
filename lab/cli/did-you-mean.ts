// "Did you mean …?" for a mistyped command or flag: the known names within a small edit distance, so a
// typo gets a hint while an unrelated word does not (git and npm answer typos the same way).

/** Edit distance counting an adjacent swap as one edit (optimal string alignment), so "rnu" is 1 from "run". */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.length][b.length];
}

/** The known names at the smallest distance ≤ maxDistance from `word`, in their given order. */
export function closestNames(word: string, known: readonly string[], maxDistance = 2): string[] {
  const scored = known.map((name) => ({ name, distance: editDistance(word, name) }));
  const best = Math.min(...scored.map((s) => s.distance));
  if (best > maxDistance) return [];
  return scored.filter((s) => s.distance === best).map((s) => s.name);
}

/** ' (did you mean "x"?)' or '' when nothing is close. */
export function didYouMean(word: string, known: readonly string[]): string {
  const names = closestNames(word, known);
  return names.length ? `; did you mean ${names.map((n) => `"${n}"`).join(' or ')}?` : '';
}

/** Levenshtein distance (insertions, deletions, substitutions) between two strings, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  // One row of the dynamic-programming table: row[j] = distance(a[..i], b[..j]).
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

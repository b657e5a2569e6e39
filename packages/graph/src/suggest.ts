/**
 * "Did you mean" hints for names typed by people or read from files: option keys, rule names,
 * class and registry names. Used by lint's config checks and core's option checks alike.
 *
 * @packageDocumentation
 */

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

/** Keras's snake_case spelled as Strata's camelCase: `kernel_size` → `kernelSize`. */
export function snakeToCamel(name: string): string {
  return name.replace(/_+([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * The choice someone most likely meant by `typed`: its camelCase spelling when that is a choice
 * (`batch_size` → `batchSize`), else the closest choice within a third of its length in edits
 * (at least 2), else `undefined`.
 */
export function closestName(typed: string, choices: readonly string[]): string | undefined {
  const camel = snakeToCamel(typed);
  if (camel !== typed && choices.includes(camel)) return camel;
  const lower = typed.toLowerCase();
  const caseOnly = choices.find(
    (choice) => choice.toLowerCase() === lower || choice.toLowerCase() === camel.toLowerCase(),
  );
  if (caseOnly !== undefined) return caseOnly;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(typed.length / 3)) + 1;
  for (const choice of choices) {
    const distance = editDistance(lower, choice.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [choice, distance];
  }
  return best;
}

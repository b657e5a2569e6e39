/**
 * Validation shared by the toolkit's layers and configs: rates in [0, 1] with an error that
 * names the layer (or config field) and the value received.
 */

/** Checks `0 <= rate <= 1`; `where` names the layer or field in the error. */
export function checkRate(rate: unknown, where: string, argument = 'rate'): number {
  if (typeof rate !== 'number' || Number.isNaN(rate) || rate < 0 || rate > 1) {
    throw new Error(
      `${where}: invalid ${argument} ${JSON.stringify(rate) ?? String(rate)}; expected a number between 0 and 1`,
    );
  }
  return rate;
}

/** Checks an optional integer seed (`null`/`undefined` → `null`). */
export function checkSeed(seed: unknown, where: string): number | null {
  if (seed === null || seed === undefined) return null;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) {
    throw new Error(`${where}: invalid seed ${JSON.stringify(seed) ?? String(seed)}; expected an integer or null`);
  }
  return seed;
}

/** Package name under which the toolkit's layers are registered (`"strata_dropout>DropBlock2D"`). */
export const DROPOUT_PACKAGE = 'strata_dropout';

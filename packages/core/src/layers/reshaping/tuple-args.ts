/**
 * Normalizing the "int or tuple" arguments of reshaping layers (padding, cropping, size),
 * as Keras's `standardize_tuple`, with errors that name the layer and the argument.
 */

/** A non-negative (or positive) integer, or a pair of them. */
export type IntOrPair = number | [number, number] | readonly number[];

/** `[top, bottom]`, `[left, right]` pairs for the two spatial axes. */
export type PairOfPairs = [[number, number], [number, number]];

/** Argument forms of 2-D padding/cropping: `p`, `[h, w]` or `[[top, bottom], [left, right]]`. */
export type Spatial2DArg = number | readonly (number | readonly number[])[];

function checkInt(value: unknown, allowZero: boolean): value is number {
  return typeof value === 'number' && Number.isInteger(value) && (allowZero ? value >= 0 : value > 0);
}

/** `n` → `[n, n]`; `[a, b]` kept; anything else is an error naming `where` and `argName`. */
export function standardizePair(value: unknown, argName: string, where: string, allowZero: boolean): [number, number] {
  const kind = allowZero ? 'non-negative' : 'positive';
  if (checkInt(value, allowZero)) return [value, value];
  if (Array.isArray(value) && value.length === 2 && value.every((v) => checkInt(v, allowZero))) {
    return [value[0] as number, value[1] as number];
  }
  throw new Error(`${where}: ${argName} must be a ${kind} integer or a list of 2 ${kind} integers, got ${JSON.stringify(value)}`);
}

/**
 * 2-D padding/cropping as Keras: `p` → `[[p, p], [p, p]]`; `[h, w]` → `[[h, h], [w, w]]`;
 * `[[top, bottom], [left, right]]` kept.
 */
export function standardizeSpatial2D(value: unknown, argName: string, where: string): PairOfPairs {
  if (checkInt(value, true)) return [[value, value], [value, value]];
  if (Array.isArray(value) && value.length === 2) {
    return [
      standardizePair(value[0], `1st entry of ${argName}`, where, true),
      standardizePair(value[1], `2nd entry of ${argName}`, where, true),
    ];
  }
  throw new Error(
    `${where}: ${argName} must be an int, a list of 2 ints [symmetric height, symmetric width], ` +
      `or a list of 2 lists of 2 ints [[top, bottom], [left, right]]; got ${JSON.stringify(value)}`,
  );
}

/**
 * Normalizing the "int or tuple" arguments of reshaping layers (padding, cropping, size),
 * as Keras's `standardize_tuple`, with errors that name the layer and the argument.
 */
import { ConfigurationError } from '../../utils/errors.js';

/** A non-negative (or positive) integer, or a pair of them. */
export type IntOrPair = number | [number, number] | readonly number[];

/** `[top, bottom]`, `[left, right]` pairs for the two spatial axes. */
export type PairOfPairs = [[number, number], [number, number]];

/** Argument forms of 2-D padding/cropping: `p`, `[h, w]` or `[[top, bottom], [left, right]]`. */
export type Spatial2DArg = number | readonly (number | readonly number[])[];

/** Argument forms of N-D padding/cropping: `p`, one int per axis, or `[start, end]` per axis. */
export type SpatialArg = Spatial2DArg;

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
  throw new ConfigurationError(
    `${where}: ${argName} must be a ${kind} integer or a list of 2 ${kind} integers, got ${JSON.stringify(value)}`,
  );
}

const ORDINALS = ['1st', '2nd', '3rd'];

/**
 * Spatial padding/cropping for `rank` axes as Keras: `p` → `[[p, p], ...]`; `[a, b, ...]`
 * (one int per axis) → `[[a, a], [b, b], ...]`; `[[start, end], ...]` kept.
 */
export function standardizeSpatialPairs(
  value: unknown,
  rank: number,
  argName: string,
  where: string,
): [number, number][] {
  if (checkInt(value, true)) return Array.from({ length: rank }, () => [value, value] as [number, number]);
  if (Array.isArray(value) && value.length === rank) {
    return value.map((entry, i) =>
      standardizePair(entry, `${ORDINALS[i] ?? `${i + 1}th`} entry of ${argName}`, where, true),
    );
  }
  const example = rank === 2 ? '[[top, bottom], [left, right]]' : '[[start, end] per axis]';
  throw new ConfigurationError(
    `${where}: ${argName} must be an int, a list of ${rank} ints (symmetric per axis), ` +
      `or a list of ${rank} lists of 2 ints ${example}; got ${JSON.stringify(value)}`,
  );
}

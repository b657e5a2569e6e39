/**
 * The process-wide source of randomness for everything not given its own seed (initializers,
 * dropout seed generators, the `fit` shuffle). `setRandomSeed` makes a whole run reproducible, as
 * Keras's `keras.utils.set_random_seed`.
 */
import { ConfigurationError } from './errors.js';

let seeded: (() => number) | null = null;

/** mulberry32: a small, fast, well-mixed 32-bit PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seeds every unseeded random draw of Strata from now on (Keras `set_random_seed`). */
export function setRandomSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0)
    throw new ConfigurationError(`setRandomSeed: seed must be a non-negative integer, got ${seed}`);
  seeded = mulberry32(seed);
}

/** A float in [0, 1): from the seeded stream after `setRandomSeed`, else `Math.random()`. */
export function randomFloat(): number {
  return seeded === null ? Math.random() : seeded();
}

/** A fresh 31-bit integer seed for a TF.js random op or a seed generator. */
export function drawSeed(): number {
  return Math.floor(randomFloat() * 2 ** 31);
}

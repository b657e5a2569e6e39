/**
 * Seeded randomness for layers, as Keras 3's `SeedGenerator`: a layer created with a
 * seed draws a different sample on every call, and the same sequence of samples
 * after re-creation with the same seed.
 */
import { drawSeed } from '../utils/random-seed.js';
import { ConfigurationError } from '../utils/errors.js';

/** Produces a deterministic sequence of integer seeds for TF.js random ops. */
export class SeedGenerator {
  /** The seed this generator was created with (`null`: drawn at random). */
  readonly initialSeed: number | null;
  private state: number;
  private counter = 0;

  constructor(seed: number | null = null) {
    if (seed !== null && !Number.isInteger(seed)) {
      throw new ConfigurationError(`SeedGenerator: seed must be an integer or null, got ${seed}`);
    }
    this.initialSeed = seed;
    this.state = seed ?? drawSeed();
  }

  /** The next seed of the sequence (a 31-bit integer). */
  next(): number {
    this.counter += 1;
    return mix(this.state, this.counter);
  }

  /** Restarts the sequence from the initial seed (a random one stays the same). */
  reset(): void {
    this.counter = 0;
  }
}

/** A 32-bit integer hash (splitmix-like) of the seed and the call counter. */
function mix(seed: number, counter: number): number {
  let h = (seed ^ Math.imul(counter, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) & 0x7fffffff;
}

/**
 * NumPy's legacy `np.random.RandomState(seed).shuffle`, bit for bit: the Mersenne Twister
 * MT19937 seeded by `init_genrand(seed)` and Fisher–Yates with NumPy's masked rejection
 * sampling (`random_interval`). Keras's `index_directory` shuffles file lists with it, so the
 * directory datasets list files in the same order as Keras for the same seed.
 */

/** A MT19937 stream seeded as `np.random.RandomState(seed)` (an integer in [0, 2³²)). */
export class LegacyMersenneTwister {
  private readonly state = new Uint32Array(624);
  private index = 624;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
      throw new RangeError(`seed must be an integer in [0, 2^32 - 1], got ${seed}`);
    const mt = this.state;
    mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      // 1812433253 * prev + i, in 32-bit arithmetic (split to stay exact in doubles).
      mt[i] = ((((prev & 0xffff0000) >>> 16) * 1812433253) << 16) + (prev & 0x0000ffff) * 1812433253 + i;
    }
  }

  /** The next 32-bit output. */
  nextUint32(): number {
    const mt = this.state;
    if (this.index >= 624) {
      for (let k = 0; k < 624; k++) {
        const y = (mt[k]! & 0x80000000) | (mt[(k + 1) % 624]! & 0x7fffffff);
        mt[k] = mt[(k + 397) % 624]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.index = 0;
    }
    let y = mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A uniform integer in [0, max] (NumPy's `random_interval`, for max < 2³²). */
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    for (const shift of [1, 2, 4, 8, 16]) mask |= mask >>> shift;
    mask >>>= 0;
    let value: number;
    do value = (this.nextUint32() & mask) >>> 0;
    while (value > max);
    return value;
  }
}

/** Shuffles `items` in place exactly as `np.random.RandomState(seed).shuffle(items)`. */
export function numpyShuffle<T>(items: T[], seed: number): T[] {
  const rng = new LegacyMersenneTwister(seed);
  for (let i = items.length - 1; i >= 1; i--) {
    const j = rng.interval(i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

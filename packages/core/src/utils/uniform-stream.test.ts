/**
 * The uniform stream equals TF.js's `randomUniform(…, 0, 1, 'float32', seed)` draw for draw, and
 * with a keep rule it gives dropout's mask in the same pass. Large outputs are drawn as four
 * chains started by jumping ahead; they must give exactly the serial generator's numbers.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { aleaSeedState, fillUniform, jumpAlea, type AleaState, type KeepRule } from './uniform-stream.js';

const SEEDS = [0, 1, 7, 42, 1234567, 2 ** 31 - 1, 1.5, -3];
const LENGTHS = [0, 1, 2, 3, 4, 5, 7, 4095, 4096, 4097, 65536, 100003];

/** One Alea step, as Alea writes it. */
function step(s: AleaState): void {
  const t = 2091639 * s.s0 + s.c * 2.3283064365386963e-10;
  s.s0 = s.s1;
  s.s1 = s.s2;
  s.c = t | 0;
  s.s2 = t - s.c;
}

/** The plain serial stream: every draw from the seed state in order, the keep rule as written. */
function serialReference(n: number, seed: number, keep: KeepRule | null): Float32Array {
  const out = new Float32Array(n);
  const s = aleaSeedState(seed);
  for (let i = 0; i < n; i++) {
    step(s);
    out[i] = keep === null ? s.s2 : Math.fround(s.s2) >= keep.threshold ? keep.scale : 0;
  }
  return out;
}

function sameBytes(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && Buffer.compare(Buffer.from(a.buffer), Buffer.from(b.buffer)) === 0;
}

function filled(n: number, seed: number, keep: KeepRule | null = null): Float32Array {
  const out = new Float32Array(n);
  fillUniform(out, seed, keep);
  return out;
}

describe('fillUniform', () => {
  for (const seed of SEEDS) {
    it(`draws what tf.randomUniform draws for seed ${seed}`, () => {
      const n = 4099;
      const ours = filled(n, seed);
      const theirs = tf.tidy(() => tf.randomUniform([n], 0, 1, 'float32', seed).dataSync() as Float32Array);
      expect(sameBytes(ours, theirs)).toBe(true);
      expect(new Set(ours).size).toBeGreaterThan(n - 5); // a stream, not a constant
    });
  }

  for (const [seed, n] of [
    [42, 65536],
    [7, 100003],
    [2 ** 31 - 1, 204801],
  ] as const) {
    it(`draws what tf.randomUniform draws for ${n} draws of seed ${seed} (jumped chains)`, () => {
      const theirs = tf.tidy(() => tf.randomUniform([n], 0, 1, 'float32', seed).dataSync() as Float32Array);
      expect(sameBytes(filled(n, seed), theirs)).toBe(true);
    });
  }

  for (const seed of SEEDS) {
    it(`equals the serial stream for seed ${seed} at every length, with and without a keep rule`, () => {
      const keep = { threshold: Math.fround(0.3), scale: Math.fround(1 / Math.fround(0.7)) };
      const mismatches = LENGTHS.filter(
        (n) =>
          !sameBytes(filled(n, seed), serialReference(n, seed, null)) ||
          !sameBytes(filled(n, seed, keep), serialReference(n, seed, keep)),
      );
      expect(mismatches).toEqual([]);
    });
  }

  it('applies a keep rule to each float32 draw in the same pass', () => {
    const n = 1000;
    const draws = filled(n, 5);
    const mask = filled(n, 5, { threshold: 0.25, scale: 4 / 3 });
    expect(Array.from(mask)).toEqual(Array.from(draws, (u) => (u >= 0.25 ? 4 / 3 : 0)).map(Math.fround));
    expect(mask.filter((v) => v === 0).length).toBeGreaterThan(150); // about a quarter dropped
  });

  it('keeps a draw equal to the threshold and handles edge thresholds and scales exactly', () => {
    const n = 10007; // jumped chains plus a remainder
    const draws = filled(n, 11);
    const rules: KeepRule[] = [
      { threshold: draws[9000]!, scale: 2 }, // a float32 draw itself: ties are kept (>=)
      { threshold: draws[17]!, scale: -0 },
      { threshold: 0, scale: 3 },
      { threshold: -Infinity, scale: 1.1 },
      { threshold: 1, scale: 5 },
      { threshold: 2, scale: 5 },
      { threshold: Number.NaN, scale: 5 },
      { threshold: 0.5000000001, scale: Number.POSITIVE_INFINITY },
      { threshold: 2 ** -30, scale: 1e-40 },
    ];
    for (const rule of rules) {
      expect(sameBytes(filled(n, 11, rule), serialReference(n, 11, rule)), JSON.stringify(rule)).toBe(true);
    }
    expect(filled(n, 11, rules[0]!)[9000]).toBe(2);
  });

  it('compares the float32-rounded draw with the threshold, not the raw double', () => {
    // A raw draw just below a float32 that rounds up to it is kept at that threshold; a threshold
    // one float32 step higher drops it.
    const n = 10007;
    const s = aleaSeedState(3);
    let index = -1;
    for (let i = 0; i < n && index < 0; i++) {
      step(s);
      if (i > 5000 && Math.fround(s.s2) > s.s2) index = i;
    }
    expect(index).toBeGreaterThan(5000);
    const threshold = Math.fround(s.s2);
    const above = new Float32Array([threshold]);
    new Uint32Array(above.buffer)[0]! += 1;
    expect(filled(n, 3, { threshold, scale: 2 })[index]).toBe(2);
    expect(filled(n, 3, { threshold: above[0]!, scale: 2 })[index]).toBe(0);
  });
});

describe('jumpAlea', () => {
  it('reaches the state that k serial steps reach', () => {
    for (const seed of [0, 42, -3]) {
      const serial = aleaSeedState(seed);
      let done = 0;
      for (const k of [0, 1, 2, 3, 4, 5, 100, 4096, 65537]) {
        for (; done < k; done++) step(serial);
        expect(jumpAlea(aleaSeedState(seed), k), `seed ${seed}, k ${k}`).toEqual(serial);
      }
    }
  });

  it('composes: jumping j then k steps equals jumping j + k', () => {
    const start = aleaSeedState(1234567);
    expect(jumpAlea(jumpAlea(start, 1000), 2 ** 40)).toEqual(jumpAlea(start, 2 ** 40 + 1000));
  });

  it("leaves Alea's fixed points where they are", () => {
    const top = (2 ** 32 - 1) / 2 ** 32;
    for (const fixed of [
      { s0: 0, s1: 0, s2: 0, c: 0 },
      { s0: top, s1: top, s2: top, c: 2091638 },
    ]) {
      const stepped = { ...fixed };
      step(stepped);
      expect(stepped).toEqual(fixed);
      expect(jumpAlea(fixed, 12345)).toEqual(fixed);
    }
  });

  it('rejects a negative or fractional step count', () => {
    expect(() => jumpAlea(aleaSeedState(1), -1)).toThrow(/non-negative safe integer, got -1/);
    expect(() => jumpAlea(aleaSeedState(1), 1.5)).toThrow(/got 1.5/);
  });
});

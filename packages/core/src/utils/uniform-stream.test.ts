/**
 * The uniform stream equals TF.js's `randomUniform(…, 0, 1, 'float32', seed)` draw for draw, and
 * with a keep rule it gives dropout's mask in the same pass.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { fillUniform } from './uniform-stream.js';

const SEEDS = [0, 1, 7, 42, 1234567, 2 ** 31 - 1, 1.5];

describe('fillUniform', () => {
  for (const seed of SEEDS) {
    it(`draws what tf.randomUniform draws for seed ${seed}`, () => {
      const n = 4099;
      const ours = new Float32Array(n);
      fillUniform(ours, seed);
      const theirs = tf.tidy(() => tf.randomUniform([n], 0, 1, 'float32', seed).dataSync() as Float32Array);
      expect(Buffer.compare(Buffer.from(ours.buffer), Buffer.from(theirs.buffer))).toBe(0);
      expect(new Set(ours).size).toBeGreaterThan(n - 5); // a stream, not a constant
    });
  }
});

it('applies a keep rule to each float32 draw in the same pass', () => {
  const n = 1000;
  const [draws, mask] = [new Float32Array(n), new Float32Array(n)];
  fillUniform(draws, 5);
  fillUniform(mask, 5, { threshold: 0.25, scale: 4 / 3 });
  expect(Array.from(mask)).toEqual(Array.from(draws, (u) => (u >= 0.25 ? 4 / 3 : 0).valueOf()).map(Math.fround));
  expect(mask.filter((v) => v === 0).length).toBeGreaterThan(150); // about a quarter dropped
});

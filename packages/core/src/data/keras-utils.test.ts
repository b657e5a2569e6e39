/**
 * keras.utils helpers against real Keras 3.15.1 (keras-utils.fixture.py → keras-utils.fixture.json).
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normalize, padSequences, splitDataset, toCategorical, type PadSequencesOptions } from './keras-utils.js';
import { splitSizes } from './dataset-utils.js';

interface Fixture {
  to_categorical: { x: number[] | number[][]; num_classes: number | null; value: unknown }[];
  pad_sequences: { kwargs: Record<string, unknown>; dtype: string; shape: number[]; value: number[][] }[];
  normalize: { x: number[][]; axis: number; order: 1 | 2; value: number[][] }[];
  split_dataset: { n: number; left_size: number | null; right_size: number | null; left: number; right: number }[];
  split_dataset_errors: { n: number; left_size: number | null; right_size: number | null; error: string }[];
}

const fixture = JSON.parse(readFileSync(new URL('./keras-utils.fixture.json', import.meta.url), 'utf8')) as Fixture;
const SEQS = [[1, 2, 3], [4, 5], [], [6, 7, 8, 9, 10], [11]];

let baseline = 0;
beforeEach(() => {
  baseline = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(baseline);
});

function camel(kwargs: Record<string, unknown>): PadSequencesOptions {
  return Object.fromEntries(Object.entries(kwargs)) as PadSequencesOptions;
}

describe('toCategorical (keras.utils.to_categorical)', () => {
  for (const { x, num_classes, value } of fixture.to_categorical) {
    it(`matches Keras for x=${JSON.stringify(x)}, numClasses=${num_classes}`, () => {
      const y = toCategorical(x, num_classes ?? undefined);
      expect(y.dtype).toBe('float32');
      expect(y.arraySync()).toEqual(value);
      y.dispose();
    });
  }

  it('names the bad value and the valid range', () => {
    expect(() => toCategorical([0, 3], 3)).toThrow(
      'toCategorical: x[1] = 3 is not a class index in [0, 3) (numClasses = 3)',
    );
    expect(() => toCategorical([0.5], 2)).toThrow(/x\[0\] = 0.5 is not a class index/);
  });
});

describe('padSequences (keras.utils.pad_sequences)', () => {
  for (const { kwargs, dtype, shape, value } of fixture.pad_sequences) {
    it(`matches Keras with ${JSON.stringify(kwargs)}`, () => {
      const padded = padSequences(SEQS, camel(kwargs));
      expect(padded.dtype).toBe(dtype);
      expect(padded.shape).toEqual(shape);
      expect(padded.arraySync()).toEqual(value);
      padded.dispose();
    });
  }

  it('rejects unknown padding and truncating sides, listing the valid choices', () => {
    expect(() => padSequences(SEQS, { padding: 'middle' as 'pre' })).toThrow(
      'padSequences: padding "middle" not understood; valid choices: pre, post',
    );
    expect(() => padSequences(SEQS, { truncating: 'both' as 'pre' })).toThrow(/truncating "both" not understood/);
    expect(() => padSequences([[1], 2 as unknown as number[]])).toThrow(/non-sequence at position 1: 2/);
  });
});

describe('normalize (keras.utils.normalize)', () => {
  for (const { x, axis, order, value } of fixture.normalize) {
    it(`matches Keras for axis ${axis}, order ${order}`, () => {
      const out = normalize(x, axis, order);
      const got = out.arraySync() as number[][];
      out.dispose();
      got.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(value[i]![j]!, 6)));
    });
  }
});

describe('splitDataset (keras.utils.split_dataset)', () => {
  for (const { n, left_size, right_size, left, right } of fixture.split_dataset) {
    it(`splits ${n} samples with leftSize=${left_size}, rightSize=${right_size} into ${left} + ${right} as Keras`, () => {
      const options = { leftSize: left_size ?? undefined, rightSize: right_size ?? undefined };
      expect(splitSizes(n, options.leftSize, options.rightSize)).toEqual([left, right]);
      const data = tf.tensor2d(
        Array.from({ length: n * 2 }, (_, i) => i),
        [n, 2],
      );
      const [l, r] = splitDataset(data, options);
      // Keras's tf.data path: the first `left` samples and the last `right` ones.
      expect(l.arraySync()).toEqual((data.arraySync() as number[][]).slice(0, left));
      expect(r.arraySync()).toEqual((data.arraySync() as number[][]).slice(n - right));
      tf.dispose([data, l, r]);
    });
  }

  for (const { n, left_size, right_size } of fixture.split_dataset_errors) {
    it(`refuses leftSize=${left_size}, rightSize=${right_size} for ${n} samples, as Keras does`, () => {
      expect(() => splitSizes(n, left_size ?? undefined, right_size ?? undefined)).toThrow(/splitDataset: /);
    });
  }

  it('splits features and labels alike, and a seeded shuffle repeats and permutes', () => {
    const x = Array.from({ length: 20 }, (_, i) => [i, -i]);
    const y = Array.from({ length: 20 }, (_, i) => i);
    const inputs = [tf.tensor2d(x), tf.tensor1d(y)];
    const [[xl, yl], [xr, yr]] = splitDataset(inputs, { leftSize: 0.75, shuffle: true, seed: 7 });
    const [again, againRight] = splitDataset(inputs, { leftSize: 0.75, shuffle: true, seed: 7 });
    const [xl2, xr2] = [again[0], againRight[0]];
    const left = yl!.arraySync() as number[];
    const right = yr!.arraySync() as number[];
    expect(left).toHaveLength(15);
    expect([...left, ...right].sort((a, b) => a - b)).toEqual(y);
    expect(left).not.toEqual(y.slice(0, 15));
    expect((xl!.arraySync() as number[][]).map((row) => row[0])).toEqual(left);
    expect(xl2!.arraySync()).toEqual(xl!.arraySync());
    expect(xr2!.arraySync()).toEqual(xr!.arraySync());
    tf.dispose([...inputs, xl!, yl!, xr!, yr!, ...again, ...againRight]);
  });

  it('names arrays whose sample counts differ', () => {
    const a = tf.zeros([4, 2]);
    const b = tf.zeros([5]);
    expect(() => splitDataset([a, b], { leftSize: 2 })).toThrow(
      'splitDataset: every array must have the same number of samples; dataset[0] has 4, dataset[1] has 5',
    );
    tf.dispose([a, b]);
  });
});

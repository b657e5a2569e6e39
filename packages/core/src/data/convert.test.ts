import { describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { checkSampleCounts, convertData, disposeCreated, withNaNWarningsOnce } from './convert.js';
import { EpochData, classWeightsToSampleWeights, splitLast } from './batching.js';

describe('convertData', () => {
  it('accepts tensors, nested arrays, typed arrays with a shape, lists and dicts', () => {
    const tensor = tf.ones([2, 3]);
    const a = convertData(tensor, ['image'], 'x');
    expect(a.tensors[0]).toBe(tensor);
    expect(a.created).toEqual([false]);
    const b = convertData(
      [
        [1, 2],
        [3, 4],
      ],
      ['image'],
      'x',
    );
    expect(b.tensors[0]!.shape).toEqual([2, 2]);
    expect(b.created).toEqual([true]);
    const c = convertData({ data: new Float32Array(8), shape: [2, 4] }, ['image'], 'x');
    expect(c.tensors[0]!.shape).toEqual([2, 4]);
    const ints = convertData({ data: new Int32Array([1, 2]), shape: [2] }, ['label'], 'y');
    expect(ints.tensors[0]!.dtype).toBe('int32');
    const list = convertData([tf.ones([2, 1]), [[1], [2]]], ['left', 'right'], 'x');
    expect(list.tensors.map((t) => t.shape)).toEqual([
      [2, 1],
      [2, 1],
    ]);
    const dict = convertData({ right: [[1], [2]], left: tf.zeros([2, 5]) }, ['left', 'right'], 'x');
    expect(dict.tensors.map((t) => t.shape)).toEqual([
      [2, 5],
      [2, 1],
    ]);
    const single = convertData([tensor], ['image'], 'x');
    expect(single.tensors[0]).toBe(tensor);
    [b, c, ints, list, dict].forEach(disposeCreated);
    expect(tensor.isDisposed).toBe(false);
  });

  it('names the input and the offending value for non-numeric data', () => {
    expect(() =>
      convertData(
        [
          [1, 2],
          [3, 'x'],
        ],
        ['pixels'],
        'x',
      ),
    ).toThrow('x (input "pixels"): expected numbers, found the string "x" at [1][1]');
    expect(() => convertData([[1, 2], [3]], ['pixels'], 'x')).toThrow(
      /ragged nested array — length 1 at \[1\], expected 2/,
    );
    expect(() => convertData({ left: [[1]], right: [[null]] }, ['left', 'right'], 'x')).toThrow(
      'x["right"]: expected numbers, found null at [0][0]',
    );
    expect(() => convertData('abc', ['pixels'], 'x')).toThrow(/found the string "abc"/);
    expect(() => convertData({ data: [1, 2, 3], shape: [2, 2] }, ['pixels'], 'x')).toThrow(
      'x (input "pixels"): data has 3 values but shape [2, 2] needs 4',
    );
    // String tensors pass only for string inputs (StringLookup / TextVectorization models).
    const texts = tf.tensor(['a', 'b']);
    expect(() => convertData(texts, ['text'], 'x')).toThrow(
      /expected a numeric tensor \(only an Input with dtype "string" takes strings\), got dtype string/,
    );
    expect(convertData(texts, ['text'], 'x', [true]).tensors[0]).toBe(texts);
    texts.dispose();
  });

  it('checks the number of inputs and dict keys', () => {
    expect(() => convertData(tf.ones([2, 2]), ['left', 'right'], 'x')).toThrow(
      /the model has 2 inputs \[left, right\]; pass a list or a dict/,
    );
    expect(() => convertData([tf.ones([2, 2])], ['left', 'right'], 'x')).toThrow(
      'x: expected 2 array(s) (one per input: left, right), got a list of 1',
    );
    expect(() => convertData({ left: [[1]] }, ['left', 'right'], 'x')).toThrow('x: missing "right"; got keys: left');
    expect(() => convertData({ left: [[1]], right: [[1]], extra: [[1]] }, ['left', 'right'], 'x')).toThrow(
      'x: unknown key(s) "extra"; expected keys: left, right',
    );
  });

  it('checks that all arrays have the same number of samples', () => {
    expect(() =>
      checkSampleCounts([
        { role: 'x', names: ['a'], tensors: [tf.ones([4, 1])] },
        { role: 'y', names: ['out'], tensors: [tf.ones([3, 1])] },
      ]),
    ).toThrow(
      'Data arrays have different numbers of samples (x: 4, y: 3); they must all have the same first dimension',
    );
  });

  it('warns once per input about NaN', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    withNaNWarningsOnce(() => {
      disposeCreated(convertData([[Number.NaN]], ['pixels'], 'x'));
      disposeCreated(convertData([[Number.NaN]], ['pixels'], 'x'));
      convertData(tf.tensor2d([[1], [Number.NaN]]), ['pixels'], 'validationData x');
    });
    expect(warn.mock.calls.map((c) => c[0])).toEqual([
      'x (input "pixels") contains NaN values; the loss will be NaN. Clean or impute the data first.',
      'validationData x (input "pixels") contains NaN values; the loss will be NaN. Clean or impute the data first.',
    ]);
    warn.mockRestore();
  });
});

describe('batching', () => {
  it('splitLast takes the last fraction (floor(n * (1 - split)) is the split point)', () => {
    const x = tf.reshape(tf.range(0, 10), [10, 1]);
    const { train, validation } = splitLast([x], 0.25);
    expect(Array.from(train[0]!.dataSync())).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(Array.from(validation[0]!.dataSync())).toEqual([7, 8, 9]);
    expect(() => splitLast([x], 1)).toThrow(/validationSplit must be in \(0, 1\)/);
  });

  it('EpochData shuffles all arrays with the same permutation and slices batches', () => {
    const x = tf.range(0, 10);
    const y = tf.mul(tf.range(0, 10), 10);
    const epoch = new EpochData([x, y], true);
    const seen: number[] = [];
    for (let b = 0; b < 4; b++) {
      const [bx, by] = epoch.batch(b, 3) as [tf.Tensor, tf.Tensor];
      expect(bx.shape[0]).toBe(b === 3 ? 1 : 3);
      expect(Array.from(by.dataSync())).toEqual(Array.from(bx.dataSync()).map((v) => v * 10));
      seen.push(...Array.from(bx.dataSync()));
      tf.dispose([bx, by]);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
    epoch.dispose();
    expect(x.isDisposed).toBe(false);
  });

  it('class weights become sample weights (one-hot → arg-max, [n, 1] → squeezed)', () => {
    expect(Array.from(classWeightsToSampleWeights(tf.tensor2d([[0], [1], [1]]), { 1: 5 }).dataSync())).toEqual([
      1, 5, 5,
    ]);
    expect(
      Array.from(
        classWeightsToSampleWeights(
          tf.tensor2d([
            [0, 1],
            [1, 0],
          ]),
          { 0: 2, 1: 3 },
        ).dataSync(),
      ),
    ).toEqual([3, 2]);
    expect(Array.from(classWeightsToSampleWeights(tf.tensor1d([2, 0]), { 2: 0.5 }).dataSync())).toEqual([0.5, 1]);
  });
});

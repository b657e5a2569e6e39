/** The wasm Slice fast path (contiguous blocks) gives the cpu backend's slices, and leaves others to the stock kernel. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmFastSlice } from './fast-slice.js';
import { prepareBackends, seededInts, seededValues } from './test-support.test-suite.js';

async function sliceOn(
  backend: 'cpu' | 'wasm',
  x: { values: Float32Array | Int32Array; shape: number[] },
  begin: number[],
  size: number[],
) {
  await tf.setBackend(backend);
  const input = tf.tensor(x.values, x.shape, x.values instanceof Int32Array ? 'int32' : 'float32');
  const before = tf.memory().numTensors;
  const piece = tf.slice(input, begin, size);
  const result = { shape: piece.shape, values: Array.from(piece.dataSync()) };
  piece.dispose();
  const leaked = tf.memory().numTensors - before;
  input.dispose();
  return { result, leaked };
}

describe('fast Slice for wasm', () => {
  beforeAll(async () => {
    await prepareBackends();
    registerWasmFastSlice();
  });

  it('is installed once (idempotent)', () => {
    const kernel = tf.getKernel('Slice', 'wasm');
    registerWasmFastSlice();
    expect(tf.getKernel('Slice', 'wasm')).toBe(kernel);
  });

  const cases: [string, number[], number[], number[], 'float32' | 'int32'][] = [
    ['a batch of rows (contiguous)', [20, 7, 3], [5, 0, 0], [8, -1, -1], 'float32'],
    ['the last rows, size -1', [9, 4], [6, 0], [-1, 4], 'float32'],
    ['one row, part of it (contiguous)', [5, 6, 2], [3, 2, 0], [1, 3, 2], 'float32'],
    ['columns (strided: stock kernel)', [6, 5], [0, 1], [6, 3], 'float32'],
    ['int32 rows', [10, 3], [2, 0], [4, 3], 'int32'],
    ['an empty slice', [4, 3], [2, 0], [0, 3], 'float32'],
  ];
  for (const [name, shape, begin, size, dtype] of cases) {
    it(`${name}: same values and shape as cpu, no leaks`, async () => {
      const count = shape.reduce((a, b) => a * b, 1);
      const x = { values: dtype === 'int32' ? seededInts(count, 7, -50, 50) : seededValues(count, 7), shape };
      const expected = await sliceOn('cpu', x, begin, size);
      const actual = await sliceOn('wasm', x, begin, size);
      expect(actual.result).toEqual(expected.result);
      expect(actual.leaked).toBe(0);
    });
  }

  it('differentiates like the stock slice (gradient pads the block back)', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor2d(seededValues(12, 3), [4, 3]);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.slice(t, [1, 0], [2, 3]), 2)))(x);
    expect(Array.from(grad.dataSync())).toEqual([0, 0, 0, 2, 2, 2, 2, 2, 2, 0, 0, 0]);
    tf.dispose([x, grad]);
  });
});

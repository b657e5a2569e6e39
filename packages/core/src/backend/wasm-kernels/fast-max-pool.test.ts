import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmFastMaxPool } from './fast-max-pool.js';
import { registerWasmFastMaxPoolGrad } from './fast-max-pool-grad.js';
import { simdKernelsFor } from './simd-kernels.js';
import { asWasmBackend } from './wasm-backend.js';
import {
  expectWasmMatchesCpu,
  prepareBackends,
  runOn,
  seededInts,
  type HostTensor,
} from './test-support.test-suite.js';

type Pad = 'valid' | 'same';

/** Small integers (negative too) so that windows hold ties: the tie rule is exercised. */
function tiedTensor(shape: number[], seed: number): HostTensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return { values: Float32Array.from(seededInts(size, seed, -3, 2)), shape, dtype: 'float32' };
}

function outShapeOf(
  shape: number[],
  filterSize: number | [number, number],
  strides: number | [number, number],
  pad: Pad,
) {
  const info = tf.backend_util.computePool2DInfo(
    shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
  );
  return [shape[0]!, info.outHeight, info.outWidth, shape[3]!];
}

describe('fast MaxPool and MaxPoolGrad for wasm (SIMD loops and their JS twins)', () => {
  beforeAll(async () => {
    await prepareBackends();
    registerWasmFastMaxPool();
    registerWasmFastMaxPoolGrad();
  });

  it('run the SIMD module here (so the cases below with channels % 4 == 0 test it)', async () => {
    await tf.setBackend('wasm');
    expect(simdKernelsFor(asWasmBackend(tf.backend(), 'test'))).not.toBeNull();
  });

  it('are idempotent', () => {
    const pool = tf.getKernel('MaxPool', 'wasm');
    registerWasmFastMaxPool();
    expect(tf.getKernel('MaxPool', 'wasm')).toBe(pool);
  });

  // channels 8 and 4 take the SIMD loops, 3 and 6 the JS loops; 'same' and odd sizes give edge windows.
  const cases: [string, number[], number | [number, number], number | [number, number], Pad][] = [
    ['2x2 stride 2 valid, 8 channels (MNIST pooling)', [3, 6, 6, 8], 2, 2, 'valid'],
    ['2x2 stride 2 valid, odd size, 4 channels', [2, 7, 5, 4], 2, 2, 'valid'],
    ['3x3 stride 2 same (overlapping), 8 channels', [2, 7, 8, 8], 3, 2, 'same'],
    ['3x3 stride 1 same, 4 channels', [2, 5, 4, 4], 3, 1, 'same'],
    ['2x3 strides [1, 2] same, 12 channels', [1, 6, 7, 12], [2, 3], [1, 2], 'same'],
    ['3x3 stride 2 same, 3 channels (JS loop)', [2, 7, 7, 3], 3, 2, 'same'],
    ['2x2 stride 1 valid, 6 channels (JS loop)', [2, 5, 5, 6], 2, 1, 'valid'],
  ];
  cases.forEach(([label, shape, filterSize, strides, pad], i) => {
    it(`MaxPool matches cpu: ${label}`, async () => {
      const x = tiedTensor(shape, 100 + i);
      await expectWasmMatchesCpu('MaxPool', { x }, { filterSize, strides, pad }, label);
    });

    it(`MaxPoolGrad matches cpu, ties to the first maximum: ${label}`, async () => {
      const input = tiedTensor(shape, 200 + i);
      const outShape = outShapeOf(shape, filterSize, strides, pad);
      const pooled = await runOn('cpu', 'MaxPool', { x: input }, { filterSize, strides, pad });
      const output: HostTensor = { values: pooled.values as Float32Array, shape: outShape, dtype: 'float32' };
      const dy = tiedTensor(outShape, 300 + i);
      dy.values = Float32Array.from(dy.values, (v, j) => v + j / 64); // distinct gradients show where each one went
      await expectWasmMatchesCpu('MaxPoolGrad', { dy, input, output }, { filterSize, strides, pad }, label);
    });
  });

  for (const channels of [4, 3]) {
    it(`MaxPool gives NaN for every window holding a NaN, and the gradient goes to the NaN (${channels} channels)`, async () => {
      const shape = [1, 4, 4, channels];
      const values = new Float32Array(16 * channels).fill(1);
      values[(1 * 4 + 1) * channels] = Number.NaN; // (1, 1), channel 0: inside window (0, 0) only
      const x: HostTensor = { values, shape, dtype: 'float32' };
      const attrs = { filterSize: 2, strides: 2, pad: 'valid' };
      const pooled = await runOn('wasm', 'MaxPool', { x }, attrs);
      expect(Number.isNaN(pooled.values[0]!)).toBe(true);
      expect(Array.from(pooled.values).filter((v) => Number.isNaN(v))).toHaveLength(1);
      const dy: HostTensor = {
        values: new Float32Array(4 * channels).fill(2),
        shape: [1, 2, 2, channels],
        dtype: 'float32',
      };
      const output: HostTensor = {
        values: pooled.values as Float32Array,
        shape: [1, 2, 2, channels],
        dtype: 'float32',
      };
      const grad = await runOn('wasm', 'MaxPoolGrad', { dy, input: x, output }, attrs);
      expect(grad.values[(1 * 4 + 1) * channels]).toBe(2);
      expect(grad.values[0]).toBe(0); // the tied 1 before the NaN does not get it
      expect(grad.leakedDataIds).toBe(0);
    });
  }
});

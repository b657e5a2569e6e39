import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmFastConv2DBackpropInput } from './fast-conv2d-backprop-input.js';
import { registerWasmFastMaxPoolGrad } from './fast-max-pool-grad.js';
import { expectWasmMatchesCpu, prepareBackends, randomTensor } from './test-support.test-suite.js';

describe('fast Conv2DBackpropInput and MaxPoolGrad for wasm', () => {
  beforeAll(async () => {
    await prepareBackends();
    registerWasmFastConv2DBackpropInput();
    registerWasmFastMaxPoolGrad();
  });

  it('are idempotent', () => {
    const conv = tf.getKernel('Conv2DBackpropInput', 'wasm');
    const pool = tf.getKernel('MaxPoolGrad', 'wasm');
    registerWasmFastConv2DBackpropInput();
    registerWasmFastMaxPoolGrad();
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')).toBe(conv);
    expect(tf.getKernel('MaxPoolGrad', 'wasm')).toBe(pool);
  });

  const convCases: [string, number[], number[], number | [number, number], 'valid' | 'same'][] = [
    ['3x3 valid stride 1', [2, 7, 6, 3], [3, 3, 3, 4], 1, 'valid'],
    ['3x3 same stride 1', [2, 7, 6, 3], [3, 3, 3, 4], 1, 'same'],
    ['3x3 valid stride 2 (odd input)', [2, 9, 7, 2], [3, 3, 2, 5], 2, 'valid'],
    ['3x3 same stride 2', [1, 8, 8, 3], [3, 3, 3, 2], 2, 'same'],
    ['2x4 same strides [1, 2]', [2, 5, 9, 2], [2, 4, 2, 3], [1, 2], 'same'],
    ['1x1 valid', [3, 4, 4, 6], [1, 1, 6, 2], 1, 'valid'],
  ];
  convCases.forEach(([label, inputShape, filterShape, strides, pad], i) => {
    it(`Conv2DBackpropInput matches cpu: ${label}`, async () => {
      const info = tf.backend_util.computeConv2DInfo(
        inputShape as [number, number, number, number],
        filterShape as [number, number, number, number],
        strides,
        1,
        pad,
      );
      const dy = randomTensor([inputShape[0]!, info.outHeight, info.outWidth, filterShape[3]!], 10 + i);
      const filter = randomTensor(filterShape, 20 + i);
      await expectWasmMatchesCpu(
        'Conv2DBackpropInput',
        { dy, filter },
        { strides, pad, dataFormat: 'NHWC', inputShape },
        label,
      );
    });
  });

  const poolCases: [string, number[], number | [number, number], number | [number, number], 'valid' | 'same'][] = [
    ['2x2 stride 2 valid', [2, 6, 6, 3], 2, 2, 'valid'],
    ['2x2 stride 2 valid, odd size', [2, 7, 5, 4], 2, 2, 'valid'],
    ['3x3 stride 2 same (overlapping)', [1, 7, 7, 2], 3, 2, 'same'],
    ['3x3 stride 1 same', [2, 5, 4, 3], 3, 1, 'same'],
  ];
  poolCases.forEach(([label, shape, filterSize, strides, pad], i) => {
    it(`MaxPoolGrad matches cpu: ${label}`, async () => {
      const input = randomTensor(shape, 30 + i);
      const info = tf.backend_util.computePool2DInfo(
        shape as [number, number, number, number],
        filterSize,
        strides,
        1,
        pad,
      );
      const outShape = [shape[0]!, info.outHeight, info.outWidth, shape[3]!];
      await tf.setBackend('cpu');
      const output = tf.maxPool(
        tf.tensor4d(input.values, shape as [number, number, number, number]),
        filterSize,
        strides,
        pad,
      );
      const outputHost = { values: output.dataSync() as Float32Array, shape: outShape, dtype: 'float32' as const };
      output.dispose();
      const dy = randomTensor(outShape, 40 + i);
      await expectWasmMatchesCpu('MaxPoolGrad', { dy, input, output: outputHost }, { filterSize, strides, pad }, label);
    });
  });

  it('MaxPoolGrad gives a tie to the first maximum only, as TensorFlow', async () => {
    const input = { values: new Float32Array([1, 1, 0, 1]), shape: [1, 2, 2, 1], dtype: 'float32' as const };
    const output = { values: new Float32Array([1]), shape: [1, 1, 1, 1], dtype: 'float32' as const };
    const dy = { values: new Float32Array([5]), shape: [1, 1, 1, 1], dtype: 'float32' as const };
    const run = await expectWasmMatchesCpu(
      'MaxPoolGrad',
      { dy, input, output },
      { filterSize: 2, strides: 2, pad: 'valid' },
      'tie',
    );
    expect(Array.from(run.values)).toEqual([5, 0, 0, 0]);
  });
});

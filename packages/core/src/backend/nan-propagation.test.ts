/**
 * NaN in → NaN out, on every backend (as Keras/TensorFlow and PyTorch): a model must not return
 * finite numbers for a NaN input on one backend and NaN on another. Both backends run in-process.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './select.js';
import { registerNaNPropagation } from './nan-propagation.js';
import { Input } from '../engine/input-layer.js';
import { Sequential } from '../engine/sequential.js';
import { MaxPooling2D } from '../layers/pooling/max-pooling2d.js';
import { MaxPooling3D } from '../layers/pooling/max-pooling3d.js';
import { ReLU } from '../layers/activations/relu.js';

const BACKENDS = ['cpu', 'wasm'] as const;
let previous = '';

beforeAll(async () => {
  previous = await initBackend();
  for (const backend of BACKENDS) {
    await tf.setBackend(backend);
    registerNaNPropagation(backend);
  }
});
afterAll(async () => {
  await tf.setBackend(previous);
});

/** Runs `op` on each backend; returns the output values per backend (NaN kept as NaN). */
async function onBackends(op: () => tf.Tensor): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const backend of BACKENDS) {
    await tf.setBackend(backend);
    const before = tf.memory().numTensors;
    const y = tf.tidy(op);
    out[backend] = Array.from(y.dataSync());
    y.dispose();
    expect(tf.memory().numTensors, `${backend} leaks`).toBe(before);
  }
  return out;
}

const N = Number.NaN;

describe('NaN propagation agrees across backends', () => {
  it.each([
    ['relu6', () => tf.relu6(tf.tensor1d([N, -1, 2, 7, N])), [N, 0, 2, 6, N]],
    ['clipByValue', () => tf.clipByValue(tf.tensor1d([N, -3, 0.5, 3, N]), -1, 1), [N, -1, 0.5, 1, N]],
    ['maxPool valid', () => tf.maxPool(tf.tensor4d([N, 1, 2, 3, 4, 5, 6, N], [1, 2, 4, 1]), 2, 2, 'valid'), [N, N]],
    ['maxPool same', () => tf.maxPool(tf.tensor4d([N, -1, 2, 3], [1, 2, 2, 1]), 2, 1, 'same'), [N, 3, 3, 3]],
    ['maxPool channels', () => tf.maxPool(tf.tensor4d([N, 1, 2, 3], [1, 1, 2, 2]), [1, 2], [1, 2], 'valid'), [N, 3]],
    ['maxPool3d', () => tf.maxPool3d(tf.tensor5d([N, 1, 2, 3, 4, 5, 6, 7], [1, 2, 2, 2, 1]), 2, 2, 'valid'), [N]],
    [
      'maxPool keeps Infinity',
      () => tf.maxPool(tf.tensor4d([Infinity, 1, -Infinity, 3], [1, 2, 2, 1]), 2, 2, 'valid'),
      [Infinity],
    ],
  ] as const)('%s: NaN in, NaN out, identical on cpu and wasm', async (_name, op, expected) => {
    const out = await onBackends(op as () => tf.Tensor);
    for (const backend of BACKENDS) expect(out[backend], backend).toEqual(expected);
  });

  it('predict of a model with ReLU(maxValue) and max pooling gives NaN for a NaN input on both backends', async () => {
    const results: Record<string, number[]> = {};
    for (const backend of BACKENDS) {
      await tf.setBackend(backend);
      const model = new Sequential([Input([2, 2, 1]), new ReLU({ maxValue: 6 }), new MaxPooling2D({ poolSize: 2 })]);
      const model3d = new Sequential([Input([2, 2, 2, 1]), new MaxPooling3D({ poolSize: 2 })]);
      const x = tf.tensor4d([N, 1, 2, 3], [1, 2, 2, 1]);
      const x3 = tf.tensor5d([1, 2, N, 4, 5, 6, 7, 8], [1, 2, 2, 2, 1]);
      const y = model.predict(x, { verbose: 0 }) as tf.Tensor;
      const y3 = model3d.predict(x3, { verbose: 0 }) as tf.Tensor;
      results[backend] = [...Array.from(y.dataSync()), ...Array.from(y3.dataSync())];
      tf.dispose([x, x3, y, y3]);
      model.dispose();
      model3d.dispose();
    }
    expect(results['cpu']).toEqual([N, N]);
    expect(results['wasm']).toEqual([N, N]);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmFastIdentity } from './fast-identity.js';
import { prepareBackends } from './test-support.test-suite.js';

function numDataIds(): number {
  return (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
}

describe('zero-copy Identity for wasm', () => {
  beforeAll(async () => {
    await prepareBackends();
    registerWasmFastIdentity();
    await tf.setBackend('wasm');
  });

  it('is idempotent', () => {
    const identity = tf.getKernel('Identity', 'wasm');
    registerWasmFastIdentity();
    expect(tf.getKernel('Identity', 'wasm')).toBe(identity);
  });

  it('shares the data; each tensor stays valid after the other is disposed; nothing leaks', () => {
    const ids = numDataIds();
    const x = tf.tensor2d([
      [1, -2],
      [3, 4.5],
    ]);
    const y = x.clone(); // the Identity kernel
    expect(y).not.toBe(x);
    expect(y.dataId).toBe(x.dataId); // the same wasm data, not a copy
    expect(numDataIds()).toBe(ids + 1);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, -2, 3, 4.5]);
    expect(y.shape).toEqual([2, 2]);
    y.dispose();
    expect(numDataIds()).toBe(ids);
  });

  it('keeps int32 and bool dtypes, and the saved inputs of a gradient stay correct', () => {
    const i = tf.tensor1d([1, 2, 3], 'int32').clone();
    expect(i.dtype).toBe('int32');
    expect(Array.from(i.dataSync())).toEqual([1, 2, 3]);
    const b = tf.tensor1d([1, 0], 'bool').clone();
    expect(b.dtype).toBe('bool');
    tf.dispose([i, b]);
    // Relu saves its input through Identity; its gradient must read the original values.
    const x = tf.tensor1d([-1, 2, -3, 4]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.relu(v), v)))(x);
    expect(Array.from(g.dataSync())).toEqual([0, 4, 0, 8]);
    tf.dispose([x, g]);
  });
});

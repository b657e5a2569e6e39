/** The wasm Identity shares its input's buffer (no copy), keeps values and lifetimes right, and matches cpu. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { layoutKeepingTransposeShape, registerWasmZeroCopyIdentity } from './zero-copy-identity.js';
import { prepareBackends, seededValues } from './test-support.test-suite.js';

describe('zero-copy Identity for wasm', () => {
  beforeAll(async () => {
    await prepareBackends();
    registerWasmZeroCopyIdentity();
    await tf.setBackend('wasm');
  });

  it('is installed once (idempotent)', () => {
    const names = ['Identity', 'Cast', 'Transpose'];
    const kernels = names.map((n) => tf.getKernel(n, 'wasm'));
    registerWasmZeroCopyIdentity();
    expect(names.map((n) => tf.getKernel(n, 'wasm'))).toEqual(kernels);
  });

  const transposes: [number[], number[]][] = [
    [
      [1, 4, 3],
      [1, 0, 2],
    ],
    [
      [2, 1, 3],
      [1, 0, 2],
    ],
    [
      [2, 3, 1],
      [0, 2, 1],
    ],
    [
      [2, 3, 4],
      [0, 2, 1],
    ],
    [
      [2, 3],
      [1, 0],
    ],
    [
      [1, 1, 5],
      [2, 1, 0],
    ],
    [
      [3, 1, 2, 1],
      [1, 0, 3, 2],
    ],
    [
      [2, 3, 4],
      [0, 1, 2],
    ],
  ];
  for (const [shape, perm] of transposes) {
    it(`transposes [${shape.join(', ')}] by [${perm.join(', ')}] like cpu, sharing the buffer for the identity permutation`, async () => {
      const values = seededValues(
        shape.reduce((a, b) => a * b, 1),
        9,
      );
      const run = async (backend: 'cpu' | 'wasm') => {
        await tf.setBackend(backend);
        const x = tf.tensor(values, shape);
        const ids = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
        const y = tf.transpose(x, perm);
        const added = (tf.backend() as unknown as { numDataIds(): number }).numDataIds() - ids;
        const out = { shape: y.shape, values: Array.from(y.dataSync()) };
        tf.dispose([x, y]);
        return { out, added };
      };
      const wasm = await run('wasm');
      expect(wasm.out).toEqual((await run('cpu')).out);
      expect(wasm.added).toBe(layoutKeepingTransposeShape(shape, perm) === null ? 1 : 0);
      await tf.setBackend('wasm');
    });
  }

  it('still converts values in a cast to another dtype (the stock kernel)', () => {
    const x = tf.tensor1d([1, 0, 3], 'int32');
    const asFloat = tf.cast(x, 'float32');
    expect(asFloat.dtype).toBe('float32');
    expect(Array.from(asFloat.dataSync())).toEqual([1, 0, 3]);
    tf.dispose([x, asFloat]);
  });

  it('shares the buffer: a clone outlives its source, and the buffer is freed with the last one', () => {
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const ids = backend.numDataIds();
    const x = tf.tensor2d(seededValues(12, 1), [3, 4]);
    const copy = tf.clone(x);
    const same = tf.cast(x, 'float32');
    expect(backend.numDataIds()).toBe(ids + 1);
    x.dispose();
    expect(Array.from(copy.dataSync())).toEqual(Array.from(seededValues(12, 1)));
    copy.dispose();
    expect(Array.from(same.dataSync())).toEqual(Array.from(seededValues(12, 1)));
    same.dispose();
    expect(backend.numDataIds()).toBe(ids);
  });

  it('keeps a clone of a variable unchanged when the variable is assigned', () => {
    const v = tf.tidy(() => tf.variable(tf.tensor1d([1, 2, 3])));
    const before = tf.clone(v);
    v.assign(tf.tidy(() => tf.tensor1d([7, 8, 9])));
    expect(Array.from(before.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(v.dataSync())).toEqual([7, 8, 9]);
    tf.dispose([v, before]);
  });

  it('gives the cpu gradients for ops whose backward pass reads saved (cloned) inputs', async () => {
    const values = seededValues(6 * 5, 4);
    const grads = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      const x = tf.tensor2d(values, [6, 5]);
      const w = tf.tensor2d(seededValues(5 * 3, 5), [5, 3]);
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(tf.sigmoid(tf.matMul(a, b)), tf.relu(tf.matMul(a, b)))),
      )([x, w]);
      const out = [Array.from(dx!.dataSync()), Array.from(dw!.dataSync())];
      tf.dispose([x, w, dx!, dw!]);
      return out;
    };
    const wasm = await grads('wasm');
    const cpu = await grads('cpu');
    wasm.forEach((g, i) => g.forEach((v, j) => expect(v).toBeCloseTo(cpu[i]![j]!, 5)));
    await tf.setBackend('wasm');
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmFastTransposedMatMul } from './fast-transposed-matmul.js';
import {
  expectClose,
  expectWasmMatchesCpu,
  prepareBackends,
  randomTensor,
  seededValues,
} from './test-support.test-suite.js';

describe('registerWasmFastTransposedMatMul', () => {
  beforeAll(async () => {
    await prepareBackends();
    registerWasmFastTransposedMatMul();
  });

  it('is idempotent: the second call keeps the installed wrapper', () => {
    const first = tf.getKernel('BatchMatMul', 'wasm');
    registerWasmFastTransposedMatMul();
    expect(tf.getKernel('BatchMatMul', 'wasm')).toBe(first);
  });

  const shapes: Array<[string, number[], number[], boolean, boolean]> = [
    ['2-D aᵀb', [7, 5], [7, 3], true, false],
    ['2-D abᵀ', [5, 7], [3, 7], false, true],
    ['2-D aᵀbᵀ', [7, 5], [3, 7], true, true],
    ['2-D ab', [5, 7], [7, 3], false, false],
    ['3-D aᵀb', [2, 7, 5], [2, 7, 3], true, false],
    ['3-D abᵀ broadcast batch', [1, 5, 7], [3, 4, 7], false, true],
  ];
  shapes.forEach(([label, aShape, bShape, transposeA, transposeB], i) => {
    it(`matches cpu: ${label}`, async () => {
      const a = randomTensor(aShape, 300 + i);
      const b = randomTensor(bShape, 400 + i);
      await expectWasmMatchesCpu('BatchMatMul', { a, b }, { transposeA, transposeB }, label);
    });
  });

  it('Dense-style gradients through matMul equal cpu', async () => {
    const run = async (name: 'cpu' | 'wasm'): Promise<Float32Array[]> => {
      await tf.setBackend(name);
      const x = tf.tensor(seededValues(6 * 9, 1), [6, 9]);
      const w = tf.tensor(seededValues(9 * 4, 2), [9, 4]);
      const weights = tf.tensor(seededValues(6 * 4, 3), [6, 4]);
      const grads = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.mul(tf.matMul(xx, ww), weights)))([x, w]);
      const values = grads.map((g) => g.dataSync() as Float32Array);
      tf.dispose([x, w, weights, ...grads]);
      return values;
    };
    const wasm = await run('wasm');
    const cpu = await run('cpu');
    wasm.forEach((g, i) => expectClose(g, cpu[i] as Float32Array, 1e-4, `grad ${i}`));
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { matrixTransposeDims, registerWasmFastMatrixTranspose } from './fast-matrix-transpose.js';
import { prepareBackends, randomTensor, runOn, seededInts, type HostTensor } from './test-support.test-suite.js';

describe('fast matrix Transpose for wasm', () => {
  beforeAll(async () => {
    await prepareBackends();
    registerWasmFastMatrixTranspose();
  });

  it('is idempotent', () => {
    const transpose = tf.getKernel('Transpose', 'wasm');
    registerWasmFastMatrixTranspose();
    expect(tf.getKernel('Transpose', 'wasm')).toBe(transpose);
  });

  it('recognizes only swaps of the last two axes', () => {
    expect(matrixTransposeDims([6, 8], [1, 0])).toEqual([1, 6, 8]);
    expect(matrixTransposeDims([2, 3, 6, 8], [0, 1, 3, 2])).toEqual([6, 6, 8]);
    expect(matrixTransposeDims([3, 6, 8], [1, 0, 2])).toBeNull();
    expect(matrixTransposeDims([3, 6, 8], [2, 1, 0])).toBeNull();
    expect(matrixTransposeDims([8], [0])).toBeNull();
  });

  const cases: [string, HostTensor, number[]][] = [
    ['LSTM gate input [2560, 128]', randomTensor([2560, 128], 1), [1, 0]],
    ['wide [128, 2560] (several bands)', randomTensor([128, 2560], 2), [1, 0]],
    ['rows not a multiple of 4 [203, 64]', randomTensor([203, 64], 3), [1, 0]],
    ['batched [3, 70, 24]', randomTensor([3, 70, 24], 4), [0, 2, 1]],
    ['int32 [100, 48]', { values: seededInts(4800, 5, -1000, 1000), shape: [100, 48], dtype: 'int32' }, [1, 0]],
    ['columns not a multiple of 4 (stock kernel) [100, 50]', randomTensor([100, 50], 6), [1, 0]],
    ['other permutation (stock kernel) [8, 20, 32]', randomTensor([8, 20, 32], 7), [2, 1, 0]],
  ];
  for (const [label, x, perm] of cases) {
    it(`equals the cpu transpose exactly: ${label}`, async () => {
      const wasm = await runOn('wasm', 'Transpose', { x }, { perm });
      const cpu = await runOn('cpu', 'Transpose', { x }, { perm });
      expect(wasm.shape).toEqual(cpu.shape);
      expect(wasm.dtype).toBe(x.dtype);
      // (the index of the first difference, not the arrays: a failing diff of 10⁵ values takes minutes)
      expect(
        wasm.values.findIndex((v, i) => !Object.is(v, cpu.values[i])),
        'first differing element',
      ).toBe(-1);
      expect(wasm.leakedTensors, 'leaked tensors').toBe(0);
      expect(wasm.leakedDataIds, 'leaked wasm data ids').toBe(0);
    });
  }
});

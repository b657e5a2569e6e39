import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmFastSum } from './fast-sum.js';
import { expectWasmMatchesCpu, prepareBackends, randomTensor } from './test-support.test-suite.js';

describe('fast Sum over leading axes for wasm', () => {
  beforeAll(async () => {
    await prepareBackends();
    registerWasmFastSum();
  });

  it('is idempotent', () => {
    const sum = tf.getKernel('Sum', 'wasm');
    registerWasmFastSum();
    expect(tf.getKernel('Sum', 'wasm')).toBe(sum);
  });

  const cases: [string, number[], number | number[], boolean][] = [
    ['bias gradient [5, 7, 6, 8] over [0, 1, 2]', [5, 7, 6, 8], [0, 1, 2], false],
    ['many rows (several blocks) [600, 12] over 0', [600, 12], 0, false],
    ['keepDims [3, 4, 8] over [0, 1]', [3, 4, 8], [0, 1], true],
    ['negative axes [2, 3, 4] over [-3, -2]', [2, 3, 4], [-3, -2], false],
    ['unordered axes [4, 2, 4] over [1, 0]', [4, 2, 4], [1, 0], false],
    ['trailing size not a multiple of 4 (original kernel) [6, 5] over 0', [6, 5], 0, false],
    ['not leading axes (original kernel) [4, 6, 8] over [1]', [4, 6, 8], [1], false],
    ['all axes (original kernel) [4, 8]', [4, 8], [0, 1], false],
  ];
  cases.forEach(([label, shape, axis, keepDims], i) => {
    it(`matches cpu: ${label}`, async () => {
      const x = randomTensor(shape, 500 + i);
      await expectWasmMatchesCpu('Sum', { x }, { axis, keepDims }, label);
    });
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmMaxPool3DFix } from './max-pool-3d.js';
import { expectWasmMatchesCpu, prepareBackends, randomTensor, type HostTensor } from './test-support.test-suite.js';

/** Values in [-3, -1): every pooling window is all-negative. */
function negativeTensor(shape: number[], seed: number): HostTensor {
  const t = randomTensor(shape, seed);
  return { ...t, values: Float32Array.from(t.values, (v) => v - 2) };
}

describe('MaxPool3D and MaxPool3DGrad for wasm (all-negative windows)', () => {
  beforeAll(async () => {
    await prepareBackends();
    registerWasmMaxPool3DFix();
  });

  it('is idempotent', () => {
    const forward = tf.getKernel('MaxPool3D', 'wasm');
    const grad = tf.getKernel('MaxPool3DGrad', 'wasm');
    registerWasmMaxPool3DFix();
    expect(tf.getKernel('MaxPool3D', 'wasm')).toBe(forward);
    expect(tf.getKernel('MaxPool3DGrad', 'wasm')).toBe(grad);
  });

  const cases: [
    string,
    number[],
    number | [number, number, number],
    number | [number, number, number],
    'valid' | 'same',
  ][] = [
    ['2x2x2 stride 2 valid', [2, 4, 4, 4, 3], 2, 2, 'valid'],
    ['3x3x3 stride 1 same', [1, 3, 4, 5, 2], 3, 1, 'same'],
    ['(2, 3, 2) strides (2, 2, 1) same', [2, 3, 5, 4, 2], [2, 3, 2], [2, 2, 1], 'same'],
  ];
  cases.forEach(([label, shape, filterSize, strides, pad], i) => {
    it(`MaxPool3D matches cpu and is negative: ${label}`, async () => {
      const x = negativeTensor(shape, 50 + i);
      const run = await expectWasmMatchesCpu(
        'MaxPool3D',
        { x },
        { filterSize, strides, pad, dataFormat: 'NDHWC' },
        label,
      );
      expect(Math.max(...run.values)).toBeLessThan(-1);
    });
  });
  // Gradients against cpu on `valid` windows only: the cpu backend's own MaxPool3DGrad is wrong for
  // uneven `same` padding (cpu-kernels/max-pool-3d-grad.ts); pooling-backends.test.ts checks both
  // backends' gradients against Keras there.
  cases.push(['(3, 2, 2) strides (1, 2, 1) valid', [1, 5, 4, 4, 2], [3, 2, 2], [1, 2, 1], 'valid']);
  cases
    .filter((c) => c[4] === 'valid')
    .forEach(([label, shape, filterSize, strides, pad], i) => {
      it(`MaxPool3DGrad matches cpu: ${label}`, async () => {
        const input = negativeTensor(shape, 60 + i);
        const info = tf.backend_util.computePool3DInfo(
          shape as [number, number, number, number, number],
          filterSize,
          strides,
          1,
          pad,
        );
        const dy = randomTensor(info.outShape, 70 + i);
        await expectWasmMatchesCpu('MaxPool3DGrad', { dy, input }, { filterSize, strides, pad }, label);
      });
    });
});

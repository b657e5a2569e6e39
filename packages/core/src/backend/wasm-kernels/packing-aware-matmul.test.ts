/**
 * The swapped wasm matrix product ((Bᵀ·Aᵀ)ᵀ, packing the smaller operand) gives exactly the
 * direct product, and the cpu backend's result, and is chosen only where it is cheaper.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmFastTransposedMatMul } from './fast-transposed-matmul.js';
import { registerWasmZeroCopyIdentity } from './zero-copy-identity.js';
import { registerWasmPackingAwareMatMul, swapIsCheaper, withoutSwappedMatMul } from './packing-aware-matmul.js';
import { withoutTiledMatMul } from './tiled-matmul.js';
import { expectClose, prepareBackends, seededValues } from './test-support.test-suite.js';

/** [label, a shape, b shape, transposeA, transposeB, swapped?] */
const CASES: [string, number[], number[], boolean, boolean, boolean][] = [
  ['Dense forward x·W', [64, 300], [300, 400], false, false, true],
  ['Dense input gradient dy·Wᵀ', [64, 400], [300, 400], false, true, true],
  ['rank 3 with batch 1', [1, 64, 300], [1, 300, 400], false, false, true],
  ['both transposed', [300, 64], [400, 300], true, true, true],
  ['weight gradient xᵀ·dy (direct)', [64, 300], [64, 400], true, false, false],
  ['small recurrent product (direct)', [32, 64], [64, 256], false, false, false],
  ['batched (direct)', [2, 64, 300], [2, 300, 400], false, false, false],
];

function product(backend: 'cpu' | 'wasm', [, aShape, bShape, tA, tB]: (typeof CASES)[number], direct = false) {
  return tf.tidy(() => {
    const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
    const a = tf.tensor(seededValues(size(aShape), 1), aShape);
    const b = tf.tensor(seededValues(size(bShape), 2), bShape);
    // On XNNPACK both ways: the tiles (which other tests' backend set-up may have registered) can
    // take one form and not the other, and may fuse multiply-adds (fused-multiply-add.ts).
    const run = () => withoutTiledMatMul(() => tf.matMul(a, b, tA, tB));
    const out = direct ? withoutSwappedMatMul(run) : run();
    return { shape: out.shape, values: out.dataSync() as Float32Array, backend };
  });
}

function countTransposes(fn: () => void): number {
  const config = tf.getKernel('Transpose', 'wasm')!;
  let calls = 0;
  tf.unregisterKernel('Transpose', 'wasm');
  tf.registerKernel({
    ...config,
    kernelFunc: (args) => {
      calls++;
      return config.kernelFunc(args);
    },
  });
  try {
    fn();
  } finally {
    tf.unregisterKernel('Transpose', 'wasm');
    tf.registerKernel(config);
  }
  return calls;
}

describe('packing-aware BatchMatMul for wasm', () => {
  beforeAll(async () => {
    await prepareBackends();
    registerWasmFastTransposedMatMul();
    registerWasmZeroCopyIdentity();
    registerWasmPackingAwareMatMul();
    await tf.setBackend('wasm');
  });

  it('is installed once (idempotent)', () => {
    const kernel = tf.getKernel('BatchMatMul', 'wasm');
    registerWasmPackingAwareMatMul();
    expect(tf.getKernel('BatchMatMul', 'wasm')).toBe(kernel);
  });

  it('swaps Dense training products of workload C, not its weight gradients or small products', () => {
    expect(swapIsCheaper(128, 784, 512, false, false)).toBe(true);
    expect(swapIsCheaper(128, 512, 784, false, true)).toBe(true);
    expect(swapIsCheaper(784, 128, 512, true, false)).toBe(false);
    expect(swapIsCheaper(32, 64, 256, false, false)).toBe(false);
    expect(swapIsCheaper(2560, 128, 256, false, false)).toBe(false);
  });

  for (const c of CASES) {
    it(`${c[0]}: equals the direct product exactly and the cpu product, leaking nothing`, async () => {
      await tf.setBackend('wasm');
      const before = tf.memory().numTensors;
      const ids = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
      // The transposes the product runs (the wrappers call the Transpose kernel directly): the
      // swapped form transposes the result and each operand it needs flipped, the direct form only
      // operands flagged for transposition.
      const transposes = countTransposes(() => product('wasm', c));
      const [, , , tA, tB, swaps] = c;
      expect(transposes).toBe(swaps ? 1 + Number(!tA) + Number(!tB) : Number(tA) + Number(tB));
      const swapped = product('wasm', c);
      const direct = product('wasm', c, true);
      expect(swapped.shape).toEqual(direct.shape);
      expect(Array.from(swapped.values)).toEqual(Array.from(direct.values));
      expect(tf.memory().numTensors).toBe(before);
      expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(ids);
      await tf.setBackend('cpu');
      const cpu = product('cpu', c);
      await tf.setBackend('wasm');
      expect(swapped.shape).toEqual(cpu.shape);
      expectClose(swapped.values, cpu.values, 1e-4, c[0]);
    });
  }
});

/**
 * The tiled wasm matrix product gives exactly the in-order float32 dot products (each term one
 * fused multiply-add where the tiles use it, else a rounded product and a rounded sum, which is
 * then also exactly the wrapped XNNPACK product) and the cpu backend's result within float32
 * rounding, for every operand orientation, and leaves other products alone.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmFastMatrixTranspose } from './fast-matrix-transpose.js';
import { registerWasmFastTransposedMatMul } from './fast-transposed-matmul.js';
import { registerWasmPackingAwareMatMul } from './packing-aware-matmul.js';
import { registerWasmTiledMatMul, tiledProductDims, withoutTiledMatMul } from './tiled-matmul.js';
import { registerWasmZeroCopyIdentity } from './zero-copy-identity.js';
import { fusedMultiplyAdd } from '../wasm-simd/fused-multiply-add.js';
import { dotTerm, expectClose, prepareBackends, seededValues } from './test-support.test-suite.js';

/** [label, a shape, b shape, transposeA, transposeB, tiled?] */
const CASES: [string, number[], number[], boolean, boolean, boolean][] = [
  ['LSTM gate projection (x⊙m)·K_g', [2560, 128], [128, 64], false, false, true],
  ['its input gradient dz·K_gᵀ', [2560, 64], [128, 64], false, true, true],
  ['its kernel gradient (x⊙m)ᵀ·dz', [2560, 128], [2560, 64], true, false, true],
  ['odd row count (a one-row tile) [301, 96]·[96, 32]', [301, 96], [96, 32], false, false, true],
  ['both transposed', [96, 301], [32, 96], true, true, true],
  ['rank 3 with batch 1', [1, 300, 64], [1, 64, 48], false, false, true],
  ['N not a multiple of 16 (wrapped)', [300, 64], [64, 40], false, false, false],
  ['wide B (panels) [128, 1024]·[1024, 256]', [128, 1024], [1024, 256], false, false, true],
  ['one panel (N = 16)', [500, 600], [600, 16], false, false, true],
  ['small product (wrapped)', [32, 64], [64, 64], false, false, false],
  ['batched (wrapped)', [2, 300, 64], [2, 64, 48], false, false, false],
];

const size = (s: number[]): number => s.reduce((x, y) => x * y, 1);

/** op(A)·op(B) as in-order float32 dot products, each term by `term`. */
function inOrderProduct([, aShape, bShape, tA, tB]: (typeof CASES)[number], term: ReturnType<typeof dotTerm>) {
  const a = seededValues(size(aShape), 1);
  const b = seededValues(size(bShape), 2);
  const [a0, a1] = aShape.slice(-2) as [number, number];
  const [b0, b1] = bShape.slice(-2) as [number, number];
  const [m, k, n] = [tA ? a1 : a0, tA ? a0 : a1, tB ? b0 : b1];
  const out = new Float32Array(m * n);
  for (let r = 0; r < m; r++)
    for (let c = 0; c < n; c++) {
      let acc = 0;
      for (let p = 0; p < k; p++) acc = term(a[tA ? p * m + r : r * k + p]!, b[tB ? c * k + p : p * n + c]!, acc);
      out[r * n + c] = acc;
    }
  return out;
}

/** The index of the first element that differs, or −1 (not the arrays: a failing diff of 10⁵ floats takes minutes). */
const firstDifference = (x: Float32Array, y: Float32Array): number => x.findIndex((v, i) => !Object.is(v, y[i]));

function product(backend: 'cpu' | 'wasm', [, aShape, bShape, tA, tB]: (typeof CASES)[number], wrapped = false) {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const a = tf.tensor(seededValues(size(aShape), 1), aShape);
    const b = tf.tensor(seededValues(size(bShape), 2), bShape);
    const run = (): tf.Tensor => tf.matMul(a, b, tA, tB);
    const out = wrapped ? withoutTiledMatMul(run) : run();
    return { shape: out.shape, values: out.dataSync() as Float32Array };
  });
}

describe('tiled BatchMatMul for wasm', () => {
  beforeAll(async () => {
    await prepareBackends();
    registerWasmFastTransposedMatMul();
    registerWasmZeroCopyIdentity();
    registerWasmFastMatrixTranspose();
    registerWasmPackingAwareMatMul();
    registerWasmTiledMatMul();
    await tf.setBackend('wasm');
  });

  it('is idempotent', () => {
    const kernel = tf.getKernel('BatchMatMul', 'wasm');
    registerWasmTiledMatMul();
    expect(tf.getKernel('BatchMatMul', 'wasm')).toBe(kernel);
  });

  for (const c of CASES) {
    const [label, aShape, bShape, tA, tB, tiled] = c;
    it(`${tiled ? 'tiles' : 'leaves alone'}: ${label}`, () => {
      const info = (shape: number[]): tf.TensorInfo => ({ dataId: {}, shape, dtype: 'float32' });
      expect(tiledProductDims(info(aShape), info(bShape), tA, tB) !== null).toBe(tiled);
      const before = tf.memory().numTensors;
      const wasm = product('wasm', c);
      expect(tf.memory().numTensors).toBe(before);
      if (tiled) {
        const fused = fusedMultiplyAdd();
        expect(firstDifference(wasm.values, inOrderProduct(c, dotTerm(fused))), 'first differing element').toBe(-1);
        // Without fusing, each element is one in-order dot product, as in XNNPACK's kernels.
        if (!fused) expect(firstDifference(wasm.values, product('wasm', c, true).values)).toBe(-1);
      } else {
        expect(firstDifference(wasm.values, product('wasm', c, true).values)).toBe(-1);
      }
      const cpu = product('cpu', c);
      expect(wasm.shape).toEqual(cpu.shape);
      expectClose(wasm.values, cpu.values, 1e-4, label);
      tf.setBackend('wasm');
    });
  }

  it('leaves mismatched inner sizes to the wrapped kernel, which refuses them', () => {
    const info = (shape: number[]): tf.TensorInfo => ({ dataId: {}, shape, dtype: 'float32' });
    expect(tiledProductDims(info([300, 64]), info([65, 32]), false, false)).toBeNull();
    const a = tf.ones([300, 64]);
    const b = tf.ones([65, 32]);
    expect(() => tf.engine().runKernel('BatchMatMul', { a, b }, { transposeA: false, transposeB: false })).toThrow(
      /inner shapes/,
    );
    tf.dispose([a, b]);
  });

  it('writes every element of its output, whatever the memory held before', () => {
    // The tiles store their sums rather than add them to a zeroed output: the heap block the
    // output lands in is the NaN-filled one just freed (the allocator hands it back first).
    const c = CASES.find(([label]) => label.startsWith('wide B'))!;
    const [, aShape, bShape] = c;
    const outFloats = aShape[0]! * bShape[1]!;
    const a = tf.tensor(seededValues(size(aShape), 1), aShape);
    const b = tf.tensor(seededValues(size(bShape), 2), bShape);
    for (let i = 0; i < 3; i++) {
      tf.fill([outFloats], NaN).dispose();
      const out = tf.matMul(a, b);
      expect(firstDifference(out.dataSync() as Float32Array, inOrderProduct(c, dotTerm(fusedMultiplyAdd())))).toBe(-1);
      out.dispose();
    }
    tf.dispose([a, b]);
  });

  it('frees its transposed copies', () => {
    const ids = (): number => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    const a = tf.tensor(seededValues(96 * 301, 3), [96, 301]);
    const b = tf.tensor(seededValues(32 * 96, 4), [32, 96]);
    const before = ids();
    tf.matMul(a, b, true, true).dispose();
    expect(ids()).toBe(before);
    tf.dispose([a, b]);
  });
});

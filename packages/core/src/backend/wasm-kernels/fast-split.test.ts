/** The wasm SplitV fast path (contiguous pieces) gives the cpu backend's pieces, and leaves others to the stock kernel. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmFastSplit } from './fast-split.js';
import { prepareBackends, seededInts, seededValues } from './test-support.test-suite.js';

async function splitOn(
  backend: 'cpu' | 'wasm',
  x: { values: Float32Array | Int32Array; shape: number[] },
  sizes: number | number[],
  axis: number,
) {
  await tf.setBackend(backend);
  const input = tf.tensor(x.values, x.shape, x.values instanceof Int32Array ? 'int32' : 'float32');
  const before = tf.memory().numTensors;
  const pieces = tf.split(input, sizes, axis);
  const result = pieces.map((p) => ({ shape: p.shape, values: Array.from(p.dataSync()) }));
  tf.dispose(pieces);
  const leaked = tf.memory().numTensors - before;
  input.dispose();
  return { result, leaked };
}

describe('fast SplitV for wasm', () => {
  beforeAll(async () => {
    await prepareBackends();
    registerWasmFastSplit();
  });

  it('is installed once (idempotent)', () => {
    const kernel = tf.getKernel('SplitV', 'wasm');
    registerWasmFastSplit();
    expect(tf.getKernel('SplitV', 'wasm')).toBe(kernel);
  });

  const cases: [string, number[], number | number[], number, 'float32' | 'int32'][] = [
    ['time-major steps: [12, 5] into 4 along axis 0', [12, 5], 4, 0, 'float32'],
    ['sizes with -1 along axis 0', [10, 3, 2], [2, -1, 5], 0, 'float32'],
    ['axis 1 after a leading 1 (still contiguous)', [1, 6, 3], [1, 2, 3], 1, 'float32'],
    ['int32 along axis 0', [6, 2], 3, 0, 'int32'],
    ['axis 1 of a [2, 6] matrix (not contiguous: the stock kernel)', [2, 6], 3, 1, 'float32'],
    ['last axis (stock kernel)', [3, 4], [1, 3], -1, 'float32'],
  ];
  cases.forEach(([label, shape, sizes, axis, dtype], i) => {
    it(`gives the cpu backend's pieces: ${label}`, async () => {
      const size = shape.reduce((a, b) => a * b, 1);
      const values = dtype === 'int32' ? seededInts(size, 40 + i, -50, 50) : seededValues(size, 40 + i);
      const wasm = await splitOn('wasm', { values, shape }, sizes, axis);
      const cpu = await splitOn('cpu', { values, shape }, sizes, axis);
      expect(wasm.result).toEqual(cpu.result);
      expect(wasm.leaked).toBe(0);
      await tf.setBackend('wasm');
    });
  });

  it("its gradient (concat of the pieces' gradients) matches cpu", async () => {
    const values = seededValues(8 * 3, 7);
    const grad = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      const x = tf.tensor(values, [8, 3]);
      const dx = tf.grad((v: tf.Tensor) => {
        const [a, b] = tf.split(v, [3, 5], 0) as [tf.Tensor, tf.Tensor];
        return tf.add(tf.sum(tf.mul(a, 2)), tf.sum(tf.square(b)));
      })(x);
      const out = Array.from(dx.dataSync());
      tf.dispose([x, dx]);
      return out;
    };
    const wasm = await grad('wasm');
    expect(wasm).toEqual(await grad('cpu'));
    await tf.setBackend('wasm');
  });
});

/** The wasm GatherV2 fast path (axis-0 rows) gives the cpu backend's results, and leaves other gathers to the stock kernel. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmFastGather } from './fast-gather.js';
import { prepareBackends, seededInts, seededValues } from './test-support.test-suite.js';

interface GatherCase {
  label: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  indexShape: number[];
  axis: number;
}

async function gatherOn(backend: 'cpu' | 'wasm', c: GatherCase, seed: number) {
  await tf.setBackend(backend);
  const size = c.shape.reduce((a, b) => a * b, 1);
  const values = c.dtype === 'int32' ? seededInts(size, seed, -50, 50) : seededValues(size, seed);
  const x = tf.tensor(values, c.shape, c.dtype);
  const count = c.indexShape.reduce((a, b) => a * b, 1);
  const indices = tf.tensor(seededInts(count, seed + 1, 0, c.shape[c.axis]!), c.indexShape, 'int32');
  const before = tf.memory().numTensors;
  const y = tf.gather(x, indices, c.axis);
  const result = { shape: y.shape, values: Array.from(y.dataSync()) };
  y.dispose();
  const leaked = tf.memory().numTensors - before;
  tf.dispose([x, indices]);
  return { result, leaked };
}

describe('fast GatherV2 for wasm', () => {
  beforeAll(async () => {
    await prepareBackends();
    registerWasmFastGather();
  });

  it('is installed once (idempotent)', () => {
    const kernel = tf.getKernel('GatherV2', 'wasm');
    registerWasmFastGather();
    expect(tf.getKernel('GatherV2', 'wasm')).toBe(kernel);
  });

  const cases: GatherCase[] = [
    {
      label: 'embedding lookup: [50, 6] table, [4, 7] indices',
      shape: [50, 6],
      dtype: 'float32',
      indexShape: [4, 7],
      axis: 0,
    },
    { label: 'rows of a 3-D tensor', shape: [9, 2, 3], dtype: 'float32', indexShape: [5], axis: 0 },
    { label: 'int32 rows', shape: [8, 4], dtype: 'int32', indexShape: [3, 2], axis: 0 },
    { label: 'a 1-D tensor (rows of one value)', shape: [12], dtype: 'float32', indexShape: [6], axis: 0 },
    { label: 'axis 1 (stock kernel)', shape: [3, 10], dtype: 'float32', indexShape: [4], axis: 1 },
  ];
  cases.forEach((c, i) => {
    it(`gives the cpu backend's result: ${c.label}`, async () => {
      const wasm = await gatherOn('wasm', c, 60 + i);
      const cpu = await gatherOn('cpu', c, 60 + i);
      expect(wasm.result).toEqual(cpu.result);
      expect(wasm.leaked).toBe(0);
      await tf.setBackend('wasm');
    });
  });

  it('refuses an index out of range, as the stock kernel does, without leaking', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([4, 2]);
    const indices = tf.tensor1d([1, 4], 'int32');
    const before = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    expect(() => tf.gather(x, indices)).toThrow('GatherV2: the index value 4 is not in [0, 3]');
    expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(before);
    tf.dispose([x, indices]);
  });

  it('its gradient (an embedding update) matches cpu', async () => {
    const values = seededValues(10 * 3, 8);
    const grad = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      const x = tf.tensor(values, [10, 3]);
      const indices = tf.tensor2d(
        [
          [1, 4, 1],
          [9, 0, 4],
        ],
        [2, 3],
        'int32',
      );
      const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.square(tf.gather(v, indices))))(x);
      const out = Array.from(dx.dataSync());
      tf.dispose([x, indices, dx]);
      return out;
    };
    const wasm = await grad('wasm');
    expect(wasm).toEqual(await grad('cpu'));
    await tf.setBackend('wasm');
  });
});

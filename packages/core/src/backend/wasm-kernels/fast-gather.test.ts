/** The wasm GatherV2 fast path (axis-0 row copies) gives the cpu backend's results and errors, and leaves other gathers to the stock kernel. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmFastGather } from './fast-gather.js';
import { prepareBackends, seededInts, seededValues } from './test-support.test-suite.js';

interface Case {
  label: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  indices: number[];
  indexShape: number[];
  axis: number;
  batchDims?: number;
}

async function gatherOn(backend: 'cpu' | 'wasm', c: Case) {
  await tf.setBackend(backend);
  const size = c.shape.reduce((a, b) => a * b, 1);
  const values = c.dtype === 'int32' ? seededInts(size, 3, -100, 100) : seededValues(size, 3);
  const x = tf.tensor(values, c.shape, c.dtype);
  const ids = tf.tensor(c.indices, c.indexShape, 'int32');
  const before = tf.memory().numTensors;
  const out = tf.gather(x, ids, c.axis, c.batchDims ?? 0);
  const result = { shape: out.shape, dtype: out.dtype, values: Array.from(out.dataSync()) };
  out.dispose();
  const leaked = tf.memory().numTensors - before;
  tf.dispose([x, ids]);
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

  const lookup = Array.from(seededInts(6 * 9, 5, 0, 50));
  const cases: Case[] = [
    {
      label: 'embedding lookup [6, 9] ids into a [50, 8] table',
      shape: [50, 8],
      dtype: 'float32',
      indices: lookup,
      indexShape: [6, 9],
      axis: 0,
    },
    {
      label: 'repeated and boundary ids, 1-D',
      shape: [4, 3],
      dtype: 'float32',
      indices: [3, 0, 3, 3, 1],
      indexShape: [5],
      axis: 0,
    },
    {
      label: 'a 3-D table (rows of [2, 3])',
      shape: [5, 2, 3],
      dtype: 'float32',
      indices: [4, 1],
      indexShape: [2],
      axis: 0,
    },
    { label: 'an int32 table', shape: [7, 2], dtype: 'int32', indices: [6, 0, 2], indexShape: [3], axis: 0 },
    { label: 'a 1-D vector', shape: [6], dtype: 'float32', indices: [5, 2, 2], indexShape: [3], axis: 0 },
    { label: 'no ids', shape: [4, 3], dtype: 'float32', indices: [], indexShape: [0], axis: 0 },
    { label: 'axis 1 (stock kernel)', shape: [3, 5], dtype: 'float32', indices: [4, 0], indexShape: [2], axis: 1 },
    {
      label: 'batch dims 1 (stock kernel)',
      shape: [2, 4, 3],
      dtype: 'float32',
      indices: [0, 3, 2, 1],
      indexShape: [2, 2],
      axis: 1,
      batchDims: 1,
    },
  ];
  for (const c of cases) {
    it(`gives the cpu backend's result: ${c.label}`, async () => {
      const wasm = await gatherOn('wasm', c);
      const cpu = await gatherOn('cpu', c);
      expect(wasm.result).toEqual(cpu.result);
      expect(wasm.leaked).toBe(0);
      await tf.setBackend('wasm');
    });
  }

  for (const bad of [7, -1]) {
    it(`refuses id ${bad} of a 7-row table like the cpu kernel, leaking nothing`, async () => {
      const message = async (backend: 'cpu' | 'wasm') => {
        await tf.setBackend(backend);
        const x = tf.zeros([7, 2]);
        const ids = tf.tensor1d([0, bad, 1], 'int32');
        const before = tf.memory().numTensors;
        let error = '';
        try {
          tf.gather(x, ids).dispose();
        } catch (e) {
          error = e instanceof Error ? e.message : String(e);
        }
        expect(tf.memory().numTensors).toBe(before);
        tf.dispose([x, ids]);
        return error;
      };
      const wasm = await message('wasm');
      expect(wasm).toBe(`GatherV2: the index value ${bad} is not in [0, 6]`);
      expect(wasm).toBe(await message('cpu'));
      await tf.setBackend('wasm');
    });
  }

  it("its gradient (the rows' gradients summed per id) matches cpu", async () => {
    const table = seededValues(10 * 4, 8);
    const grad = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      const x = tf.tensor(table, [10, 4]);
      const ids = tf.tensor2d([1, 9, 1, 0, 1, 3], [2, 3], 'int32');
      const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.square(tf.gather(v, ids))))(x);
      const out = Array.from(dx.dataSync());
      tf.dispose([x, ids, dx]);
      return out;
    };
    const wasm = await grad('wasm');
    expect(wasm).toEqual(await grad('cpu'));
    await tf.setBackend('wasm');
  });
});

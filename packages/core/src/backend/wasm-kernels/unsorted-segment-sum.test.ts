import { beforeAll, describe, expect, it } from 'vitest';
import {
  expectClose,
  expectWasmMatchesCpu,
  prepareBackends,
  randomTensor,
  runOn,
  seededInts,
} from './test-support.test-suite.js';

describe('UnsortedSegmentSum on wasm', () => {
  beforeAll(prepareBackends);

  it('matches cpu for float32 rows with repeated and unused segments', async () => {
    const x = randomTensor([13, 5, 3], 1);
    const segmentIds = { values: seededInts(13, 2, 0, 6), shape: [13], dtype: 'int32' as const };
    await expectWasmMatchesCpu('UnsortedSegmentSum', { x, segmentIds }, { numSegments: 9 }, 'float32 1-D ids');
  });

  // The cpu kernel cannot broadcast multi-dimensional ids, so this case uses a loop reference.
  it('sums over two leading dimensions when segmentIds is 2-D', async () => {
    const x = randomTensor([4, 3, 7], 3);
    const ids = seededInts(12, 4, 0, 5);
    const segmentIds = { values: ids, shape: [4, 3], dtype: 'int32' as const };
    const wasm = await runOn('wasm', 'UnsortedSegmentSum', { x, segmentIds }, { numSegments: 5 });
    const expected = new Float32Array(5 * 7);
    for (let r = 0; r < 12; r++) for (let j = 0; j < 7; j++) expected[ids[r]! * 7 + j] += x.values[r * 7 + j]!;
    expect(wasm.shape).toEqual([5, 7]);
    expectClose(wasm.values, expected, 1e-5, '2-D ids');
    expect(wasm.leakedDataIds).toBe(0);
  });

  // Rows of a multiple of 4 floats take the SIMD path: same summation order as the loop, so exact.
  it('sums embedding-gradient rows (SIMD path) exactly like a float32 loop, ids out of range dropped', async () => {
    const x = randomTensor([300, 2, 8], 7);
    const ids = seededInts(300, 8, -2, 40);
    const segmentIds = { values: ids, shape: [300], dtype: 'int32' as const };
    const wasm = await runOn('wasm', 'UnsortedSegmentSum', { x, segmentIds }, { numSegments: 37 });
    const expected = new Float32Array(37 * 16);
    for (let r = 0; r < 300; r++) {
      if (ids[r]! < 0 || ids[r]! >= 37) continue;
      for (let j = 0; j < 16; j++) expected[ids[r]! * 16 + j] += x.values[r * 16 + j]!;
    }
    expect(wasm.shape).toEqual([37, 2, 8]);
    expect(Array.from(wasm.values)).toEqual(Array.from(expected));
    expect(wasm.leakedDataIds).toBe(0);
    expect(wasm.leakedTensors).toBe(0);
  });

  it('sums int32 data exactly and keeps the int32 dtype', async () => {
    const x = { values: seededInts(30, 5, -50, 50), shape: [10, 3], dtype: 'int32' as const };
    const segmentIds = {
      values: Int32Array.from([0, 2, 2, 1, 0, 3, 3, 3, 1, 0]),
      shape: [10],
      dtype: 'int32' as const,
    };
    const wasm = await runOn('wasm', 'UnsortedSegmentSum', { x, segmentIds }, { numSegments: 4 });
    const cpu = await runOn('cpu', 'UnsortedSegmentSum', { x, segmentIds }, { numSegments: 4 });
    expect(wasm.dtype).toBe('int32');
    expect(Array.from(wasm.values)).toEqual(Array.from(cpu.values));
    expect(wasm.leakedDataIds).toBe(0);
    expect(wasm.leakedTensors).toBe(0);
  });

  it('drops ids outside [0, numSegments) like the cpu backend', async () => {
    const x = randomTensor([5, 2], 6);
    const segmentIds = { values: Int32Array.from([-1, 0, 3, 1, 0]), shape: [5], dtype: 'int32' as const };
    const wasm = await expectWasmMatchesCpu(
      'UnsortedSegmentSum',
      { x, segmentIds },
      { numSegments: 2 },
      'out of range',
    );
    const v = x.values;
    expectClose(wasm.values, [v[2]! + v[8]!, v[3]! + v[9]!, v[6]!, v[7]!], 1e-6, 'explicit sums');
  });
});

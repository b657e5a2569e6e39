/**
 * The SIMD loops on bare memories, against plain JS references: on an unshared memory (the
 * one-thread backend's) and on shared ones (the threaded backend's: SharedArrayBuffer heap, the
 * module imports it as shared), every loop must give the reference's numbers and leave the very
 * same bytes in all memories.
 */
import { describe, expect, it } from 'vitest';
import { simdKernelsFor, simdKernelsOn, type SimdKernels } from './simd-kernels.js';
import { fusedMultiplyAdd } from '../wasm-simd/fused-multiply-add.js';
import { dotTerm, seededInts, seededValues } from './test-support.test-suite.js';

const PAGES = 4;
const BYTES = PAGES * 65536;
const fround = Math.fround;

/** One case: fills the heap's inputs, runs a loop, and does the same in JS on a plain buffer. */
interface Case {
  name: string;
  fill(heap: ArrayBuffer | SharedArrayBuffer): void;
  run(kernels: SimdKernels): void;
  reference(f: Float32Array, i: Int32Array): void;
}

const memories = (): [string, WebAssembly.Memory][] => [
  ['unshared', new WebAssembly.Memory({ initial: PAGES })],
  ['shared, maximum = initial', new WebAssembly.Memory({ initial: PAGES, maximum: PAGES, shared: true })],
  [
    'shared, maximum 65536 pages (threaded tfjs)',
    new WebAssembly.Memory({ initial: PAGES, maximum: 65536, shared: true }),
  ],
];

/** Writes small integers (ties) with NaN and −0 sprinkled in, as floats from byte `at` on. */
function writeFloats(heap: ArrayBuffer | SharedArrayBuffer, at: number, count: number, seed: number): void {
  const view = new Float32Array(heap, at, count);
  view.set(seededInts(count, seed, -4, 5));
  const special = seededInts(count, seed + 1, 0, 23);
  for (let k = 0; k < count; k++) {
    if (special[k] === 0) view[k] = NaN;
    if (special[k] === 1) view[k] = -0;
  }
}

// Pooling: 12 windows of 3 channel groups (12 floats), origins 40 floats apart, 4 taps (a 2x2
// window over rows of 24 floats); windows overlap, so gradients accumulate on shared taps.
const OUT = 0;
const ORIGIN = 4096;
const TAPS = 40960;
const DY = 45056;
const DELTA = 16384; // dx = x + DELTA
const [GROUPS, WINDOWS, STEP] = [3, 12, 40 * 4];
const TAP_BYTES = [0, 12 * 4, 24 * 4, 36 * 4];
const writeTaps = (heap: ArrayBuffer | SharedArrayBuffer) => new Int32Array(heap, TAPS, 4).set(TAP_BYTES);

function poolReference(f: Float32Array, grad: 'none' | 'accumulate' | 'tiling'): void {
  for (let w = 0; w < WINDOWS; w++) {
    for (let lane = 0; lane < 4 * GROUPS; lane++) {
      const at = (t: number) => (ORIGIN + w * STEP + TAP_BYTES[t]!) / 4 + lane;
      let best = f[at(0)]!;
      let arg = 0;
      for (let t = 1; t < 4; t++) {
        const v = f[at(t)]!;
        if (v > best || Number.isNaN(v)) [best, arg] = [v, t];
      }
      if (grad === 'none') f[OUT / 4 + w * 4 * GROUPS + lane] = Number.isNaN(best) ? NaN : best;
      const d = f[DY / 4 + w * 4 * GROUPS + lane]!;
      for (let t = 0; t < 4 && grad !== 'none'; t++) {
        const dx = at(t) + DELTA / 4;
        const add = t === arg ? d : 0;
        f[dx] = grad === 'accumulate' ? fround(f[dx]! + add) : add;
      }
    }
  }
}

const poolFill = (heap: ArrayBuffer | SharedArrayBuffer) => {
  writeFloats(heap, ORIGIN, (STEP * WINDOWS) / 4 + 48, 1);
  writeFloats(heap, DY, WINDOWS * 4 * GROUPS, 2);
  writeFloats(heap, ORIGIN + DELTA, (STEP * WINDOWS) / 4 + 48, 3);
  writeTaps(heap);
};

// Gathers: 8 channels of a 5×7 block from a channels-last source (rows of 9 positions), into
// rows of 7 floats, channel planes 35 floats apart.
const [CHANS, ROWS, COLS] = [8, 5, 7];
const SRC = 8192;
const GATHER = [OUT, SRC, CHANS, ROWS, COLS, 35 * 4, 7 * 4, 4, 9 * CHANS * 4, CHANS * 4] as const;
function gatherReference(f: Float32Array): void {
  const [dst, src, , , , dstChan, dstRow, srcChan, srcRow, srcCol] = GATHER;
  for (let ci = 0; ci < CHANS; ci++)
    for (let r = 0; r < ROWS; r++)
      for (let c = 0; c < COLS; c++)
        f[(dst + ci * dstChan + r * dstRow + c * 4) / 4] = f[(src + ci * srcChan + r * srcRow + c * srcCol) / 4]!;
}
const gatherCase = (name: 'gather_block' | 'gather_block_by_position' | 'gather_block_transposing'): Case => ({
  name,
  fill: (heap) => writeFloats(heap, SRC, ROWS * 9 * CHANS, 4),
  run: (k) => k[name](...GATHER),
  reference: (f) => gatherReference(f),
});

// Product tile: 3 rows of cols (P = 37 patches, rows 40 floats apart) times dy (37 rows of 16
// floats, 20 floats apart), added to out (rows 20 floats apart).
const [P, COL_STRIDE, DY_STRIDE, COLS_AT, DY_AT] = [37, 40 * 4, 20 * 4, 8192, 16384];

const CASES: Case[] = [
  {
    name: 'pool_max',
    fill: poolFill,
    run: (k) => k.pool_max(OUT, ORIGIN, TAPS, 4, GROUPS, WINDOWS, STEP),
    reference: (f) => poolReference(f, 'none'),
  },
  {
    name: 'pool_max_grad',
    fill: poolFill,
    run: (k) => k.pool_max_grad(DELTA, DY, ORIGIN, TAPS, 4, GROUPS, WINDOWS, STEP),
    reference: (f) => poolReference(f, 'accumulate'),
  },
  {
    name: 'pool_max_grad_tiling',
    fill: poolFill,
    run: (k) => k.pool_max_grad_tiling(DELTA, DY, ORIGIN, TAPS, 4, GROUPS, WINDOWS, STEP),
    reference: (f) => poolReference(f, 'tiling'),
  },
  {
    name: 'column_sum',
    fill: (heap) => {
      new Float32Array(heap, OUT, 8).set(seededValues(8, 5));
      new Float32Array(heap, SRC, 30 * 8).set(seededValues(30 * 8, 6));
    },
    run: (k) => k.column_sum(OUT, SRC, 30, 2),
    reference: (f) => {
      for (let r = 0; r < 30; r++) for (let j = 0; j < 8; j++) f[j] = fround(f[j]! + f[SRC / 4 + r * 8 + j]!);
    },
  },
  gatherCase('gather_block'),
  gatherCase('gather_block_by_position'),
  gatherCase('gather_block_transposing'),
  {
    name: 'product_tile_3x16',
    fill: (heap) => {
      new Float32Array(heap, OUT, 3 * 20).set(seededValues(3 * 20, 7));
      new Float32Array(heap, COLS_AT, 3 * 40).set(seededValues(3 * 40, 8));
      new Float32Array(heap, DY_AT, P * 20).set(seededValues(P * 20, 9));
    },
    run: (k) => k.product_tile_3x16(OUT, COLS_AT, COL_STRIDE, DY_AT, DY_STRIDE, P),
    reference: (f) => {
      const term = dotTerm(fusedMultiplyAdd()); // the tiles' arithmetic (fused-multiply-add.ts)
      for (let r = 0; r < 3; r++)
        for (let j = 0; j < 16; j++) {
          let acc = 0;
          for (let p = 0; p < P; p++) acc = term(f[COLS_AT / 4 + r * 40 + p]!, f[DY_AT / 4 + p * 20 + j]!, acc);
          f[r * 20 + j] = fround(f[r * 20 + j]! + acc);
        }
    },
  },
];

describe('the SIMD loops on unshared and shared memories', () => {
  it('instantiate on each memory, and on a backend whose heap is shared (threaded build)', () => {
    for (const [label, memory] of memories()) expect(simdKernelsOn(memory), label).not.toBeNull();
    const shared = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
    expect(simdKernelsFor({ wasm: { wasmMemory: shared } } as never)).toBe(simdKernelsOn(shared));
  });

  for (const c of CASES) {
    it(`${c.name}: the JS reference's numbers, the same bytes on every memory`, () => {
      const expected = new ArrayBuffer(BYTES);
      c.fill(expected);
      const input = new Float32Array(expected.slice(0));
      c.reference(new Float32Array(expected), new Int32Array(expected));
      expect([...new Float32Array(expected)], 'the case must change the heap').not.toEqual([...input]);
      const results = memories().map(([label, memory]) => {
        c.fill(memory.buffer);
        c.run(simdKernelsOn(memory)!);
        expect([...new Float32Array(memory.buffer)], label).toEqual([...new Float32Array(expected)]);
        return new Uint8Array(memory.buffer.slice(0));
      });
      for (const bytes of results.slice(1)) expect(Buffer.compare(bytes, results[0]!)).toBe(0);
    });
  }
});

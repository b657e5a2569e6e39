/**
 * The strided step loops (row-loops.ts): the SIMD loop on a wasm memory and the interpreted twin
 * (loop-interpreter.ts) leave the very same bytes for every LSTM, GRU and SimpleRNN step loop, with row strides that
 * repeat a row (0), walk a block of a wider matrix, or are contiguous; widths that are not a
 * multiple of 4 and views off the heap take the interpreter; and the numbers are the formulas'
 * with float32 rounding after every operation.
 */
import { describe, expect, it } from 'vitest';
import { seededValues } from '../wasm-kernels/test-support.test-suite.js';
import { GRU_STEP_LOOPS, gruLoops } from './gru-step-loops.js';
import { LSTM_STEP_LOOPS, lstmLoops } from './lstm-step-loops.js';
import { SIMPLE_RNN_STEP_LOOPS, simpleRNNLoops } from './simple-rnn-step-loops.js';
import type { RowArray, RowLoopSet } from './row-loops.js';
import type { LoopFunction } from '../wasm-simd/simd-loop-compiler.js';

const ROWS = 5;
const fr = Math.fround;

/** Array k's layout: row stride 0 (one repeated row), a block of a matrix 3 widths wide, or contiguous. */
const strideOf = (k: number, width: number): number => [0, 3 * width, width][k % 3]!;
/** Floats reserved per array, a multiple of 4 so that every array starts 16-byte aligned. */
const slotOf = (width: number): number => 4 * Math.ceil((3 * width * ROWS) / 4);

/** Views for `arrays` arrays on `buffer`, seeded (values in (0, 1) so the gates look like sigmoids). */
function layout(buffer: ArrayBufferLike, arrays: number, width: number): RowArray[] {
  const slot = slotOf(width);
  return Array.from({ length: arrays }, (_, k) => {
    const view = new Float32Array(buffer, 4 * slot * k, slot);
    view.set(seededValues(slot, 40 + k).map((v) => Math.abs(v) % 1));
    return { view, offset: k % 2, stride: strideOf(k, width) };
  });
}

/** Runs loop `fn` of `set` on `memory` (null: on a plain buffer, interpreted); returns all its bytes. */
function run(set: RowLoopSet, memory: WebAssembly.Memory | null, fn: LoopFunction, width: number): Uint8Array {
  const bytes = 4 * slotOf(width) * fn.arrays.length;
  const buffer = memory?.buffer ?? new ArrayBuffer(bytes);
  const arrays = layout(buffer, fn.arrays.length, width);
  set.run(
    memory,
    fn.name,
    ROWS,
    width,
    arrays,
    fn.scalars.map(() => 2),
  );
  return new Uint8Array(buffer.slice(0, bytes));
}

const memories = (): [string, WebAssembly.Memory][] => [
  ['unshared', new WebAssembly.Memory({ initial: 1 })],
  ['shared', new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true })],
];

const SETS: [string, RowLoopSet, readonly LoopFunction[]][] = [
  ['LSTM', lstmLoops, LSTM_STEP_LOOPS],
  ['GRU', gruLoops, GRU_STEP_LOOPS],
  ['SimpleRNN', simpleRNNLoops, SIMPLE_RNN_STEP_LOOPS],
];

for (const [family, set, loops] of SETS) {
  describe(`the ${family} step loops: SIMD and interpreted give the same bytes`, () => {
    for (const fn of loops) {
      for (const width of [8, 6]) {
        it(`${fn.name}, rows of ${width}${width % 4 === 0 ? '' : ' (interpreted on the heap too)'}`, () => {
          const interpreted = run(set, null, fn, width);
          for (const [, memory] of memories()) expect(Buffer.compare(run(set, memory, fn, width), interpreted)).toBe(0);
        });
      }
    }
  });
}

describe('the row layout and the float32 arithmetic', () => {
  it('pre_activation: z = scale·((xProj + bias) + rec) per element, each array at its own stride', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const width = 8;
    const arrays = layout(memory.buffer, 4, width);
    // z walks a block of a wider matrix, xProj is contiguous, the bias one repeated row, rec a block.
    const [z, xProj, bias, rec] = [
      { ...arrays[0]!, stride: 3 * width },
      { ...arrays[1]!, stride: width },
      { ...arrays[2]!, stride: 0 },
      { ...arrays[3]!, stride: 3 * width },
    ];
    const at = (a: RowArray, r: number, u: number): number => a.view[a.offset + r * a.stride + u]!;
    const [x0, b0, r0] = [xProj, bias, rec].map((a) => ({ ...a, view: Float32Array.from(a.view) }));
    lstmLoops.run(memory, 'pre_activation', ROWS, width, [z, xProj, bias, rec], [2]);
    for (let r = 0; r < ROWS; r++) {
      for (let u = 0; u < width; u++) {
        expect(at(z, r, u)).toBe(fr(2 * fr(fr(at(x0!, r, u) + at(b0!, r, u)) + at(r0!, r, u))));
      }
    }
  });

  it('a view off the heap runs interpreted, with the same result as on the heap', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const heap = layout(memory.buffer, 3, 8);
    const off = heap.map((a) => ({ ...a, view: Float32Array.from(a.view) }));
    lstmLoops.run(memory, 'masked_state', ROWS, 8, heap);
    lstmLoops.run(memory, 'masked_state', ROWS, 8, off);
    expect(Array.from(off[0]!.view)).toEqual(Array.from(heap[0]!.view));
    expect(off[0]!.view.some((v, i) => v !== seededValues(off[0]!.view.length, 40)[i])).toBe(true);
  });

  it('refuses a call with the wrong number of arrays, naming the loop', () => {
    expect(() => lstmLoops.run(null, 'masked_state', 1, 4, [])).toThrow(/masked_state: expected 3 arrays/);
    expect(() => lstmLoops.run(null, 'no_such_loop', 1, 4, [])).toThrow(/no_such_loop/);
  });
});

/**
 * Runs the strided loops of ../wasm-simd/simd-loop-compiler.ts for the whole-sequence kernels: as WebAssembly
 * SIMD on the wasm backend's heap when every array lives there and the row width is a multiple
 * of 4, else with loop-interpreter.ts (the cpu backend, or odd widths), which gives the same numbers.
 */
import { heapModule } from '../wasm-simd/heap-module.js';
import { interpretLoop, type RowArray, type RowLoop } from './loop-interpreter.js';
import { compileLoop, type LoopFunction } from '../wasm-simd/simd-loop-compiler.js';

export type { RowArray } from './loop-interpreter.js';

type SimdRowLoop = (...args: number[]) => void;

/** A set of loops compiled into one module, with their interpreted twins. */
export interface RowLoopSet {
  /**
   * Runs loop `name` over `rows` rows of `width` elements. `arrays` are in the loop's order;
   * `memory` is the wasm heap the views may live on (null: interpret).
   */
  run(
    memory: WebAssembly.Memory | null,
    name: string,
    rows: number,
    width: number,
    arrays: readonly RowArray[],
    scalars?: readonly number[],
  ): void;
}

/** A loop set from strided loop functions. */
export function rowLoopSet(functions: readonly LoopFunction[]): RowLoopSet {
  for (const fn of functions) if (fn.strided !== true) throw new Error(`row loop ${fn.name} must be strided`);
  const onHeap = heapModule<Record<string, SimdRowLoop>>(() => functions.map((fn) => compileLoop(fn)));
  const interpreted = new Map<string, RowLoop>();
  const byName = new Map(functions.map((fn) => [fn.name, fn]));
  return {
    run(memory, name, rows, width, arrays, scalars = []) {
      const fn = byName.get(name);
      if (fn === undefined || arrays.length !== fn.arrays.length || scalars.length !== fn.scalars.length) {
        throw new Error(
          `row loop ${name}: expected ${fn?.arrays.length ?? '?'} arrays and ${fn?.scalars.length ?? '?'} scalars`,
        );
      }
      if (rows === 0 || width === 0) return;
      if (memory !== null && width % 4 === 0) {
        const simd = onHeap(memory);
        const heap = memory.buffer;
        if (simd !== null && arrays.every((a) => a.view.buffer === heap)) {
          simd[name]!(
            ...arrays.map((a) => a.view.byteOffset + 4 * a.offset),
            4 * width,
            rows,
            ...arrays.map((a) => 4 * a.stride),
            ...scalars,
          );
          return;
        }
      }
      let loop = interpreted.get(name);
      if (loop === undefined) interpreted.set(name, (loop = interpretLoop(fn)));
      loop(rows, width, arrays, scalars);
    },
  };
}

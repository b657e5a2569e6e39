/**
 * The loops of ../wasm-simd/simd-loop-compiler.ts evaluated in JavaScript, one element at a time, with every
 * operation rounded to float32 (`Math.fround`) as a float32x4 lane rounds it: where the SIMD
 * loop cannot run (the cpu backend, a row width that is not a multiple of 4, no WebAssembly SIMD)
 * this gives the same numbers. Slow next to the SIMD loop; it exists so that each formula is
 * written once.
 */
import type { Expr, LoopFunction } from '../wasm-simd/simd-loop-compiler.js';

/** One array of a loop call: a view, the element where row 0 starts, and the row stride in elements. */
export interface RowArray {
  view: Float32Array;
  offset: number;
  stride: number;
}

/** Runs a loop over `rows` rows of `width` elements; `arrays` in the loop's order. */
export type RowLoop = (rows: number, width: number, arrays: readonly RowArray[], scalars: readonly number[]) => void;

/** An expression compiled to a closure over the current element. */
type Value = (at: Int32Array, temps: Float64Array, scalars: readonly number[]) => number;

const fround = Math.fround;

/** The JavaScript twin of `fn` (strided or flat: a flat loop is one row). */
export function interpretLoop(fn: LoopFunction): RowLoop {
  const arrayIndex = new Map(fn.arrays.map((a, i) => [a, i]));
  const temps = new Map<string, number>();
  for (const s of fn.body) if ('let' in s && !temps.has(s.let)) temps.set(s.let, temps.size);
  const scalarIndex = new Map(fn.scalars.map((s, i) => [s, i]));
  let views: readonly RowArray[] = [];
  const lookup = <T>(map: Map<string, T>, key: string, what: string): T => {
    const v = map.get(key);
    if (v === undefined) throw new Error(`loop ${fn.name}: unknown ${what} '${key}'`);
    return v;
  };
  const compile = (e: Expr): Value => {
    switch (e.op) {
      case 'load': {
        const a = lookup(arrayIndex, e.array, 'array');
        return (at) => views[a]!.view[at[a]!]!;
      }
      case 'scalar': {
        const k = lookup(scalarIndex, e.name, 'scalar');
        return (_at, _t, scalars) => fround(scalars[k]!);
      }
      case 'temp': {
        const k = lookup(temps, e.name, 'temp');
        return (_at, t) => t[k]!;
      }
      case 'const': {
        const value = fround(e.value);
        return () => value;
      }
      case 'sqrt': {
        const a = compile(e.a);
        return (at, t, s) => fround(Math.sqrt(a(at, t, s)));
      }
      default: {
        const [a, b] = [compile(e.a), compile(e.b)];
        switch (e.op) {
          case 'add':
            return (at, t, s) => fround(a(at, t, s) + b(at, t, s));
          case 'sub':
            return (at, t, s) => fround(a(at, t, s) - b(at, t, s));
          case 'mul':
            return (at, t, s) => fround(a(at, t, s) * b(at, t, s));
          case 'div':
            return (at, t, s) => fround(a(at, t, s) / b(at, t, s));
          case 'max':
            return (at, t, s) => {
              const [x, y] = [a(at, t, s), b(at, t, s)];
              return Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.max(x, y);
            };
        }
      }
    }
  };
  const steps = fn.body.map((s) => {
    const value = compile(s.value);
    if ('let' in s) {
      const k = temps.get(s.let)!;
      return (at: Int32Array, t: Float64Array, sc: readonly number[]) => {
        t[k] = value(at, t, sc);
      };
    }
    const a = lookup(arrayIndex, s.store, 'array');
    return (at: Int32Array, t: Float64Array, sc: readonly number[]) => {
      views[a]!.view[at[a]!] = value(at, t, sc);
    };
  });
  return (rows, width, arrays, scalars) => {
    views = arrays;
    const at = new Int32Array(arrays.length);
    const t = new Float64Array(temps.size);
    for (let r = 0; r < rows; r++) {
      for (let u = 0; u < width; u++) {
        for (let i = 0; i < arrays.length; i++) at[i] = arrays[i]!.offset + r * arrays[i]!.stride + u;
        for (const step of steps) step(at, t, scalars);
      }
    }
    views = [];
  };
}

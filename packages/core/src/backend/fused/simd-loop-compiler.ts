/**
 * Compiles element-wise float32 loops over the TF.js WASM backend's own heap to WebAssembly (the
 * encoding and instantiation are ../wasm-simd's): each function walks its arrays 4 floats at a
 * time with 128-bit SIMD and evaluates a small expression tree per step. It exists because a
 * JavaScript loop over a weight-sized tensor is several times slower than the backend's SIMD
 * kernels, so a fused kernel must run as wasm too.
 *
 * Float32x4 `+ − × ÷ √ max` round exactly like scalar float32 arithmetic, so a loop here gives
 * the same numbers as the same formula evaluated with `Math.fround` after every operation.
 */
import { repeat, ValueType, type WasmFunction } from '../wasm-simd/encoding.js';
import { op, range, seq } from '../wasm-simd/instructions.js';

/** An expression over float32x4 lanes. */
export type Expr =
  | { op: 'load'; array: string }
  | { op: 'scalar'; name: string }
  | { op: 'temp'; name: string }
  | { op: 'add' | 'sub' | 'mul' | 'div' | 'max'; a: Expr; b: Expr }
  | { op: 'sqrt'; a: Expr };

/** A statement of the loop body: keep a value in a temporary, or store it to an output array. */
export type Stmt = { let: string; value: Expr } | { store: string; value: Expr };

/** One exported function: `(…arrays: i32 byte offsets, byteLength: i32, …scalars: f32)`. */
export interface LoopFunction {
  name: string;
  arrays: readonly string[];
  scalars: readonly string[];
  body: readonly Stmt[];
}

/** Expression helpers, so formulas read like the optimizers' code. */
export const E = {
  load: (array: string): Expr => ({ op: 'load', array }),
  s: (name: string): Expr => ({ op: 'scalar', name }),
  t: (name: string): Expr => ({ op: 'temp', name }),
  add: (a: Expr, b: Expr): Expr => ({ op: 'add', a, b }),
  sub: (a: Expr, b: Expr): Expr => ({ op: 'sub', a, b }),
  mul: (a: Expr, b: Expr): Expr => ({ op: 'mul', a, b }),
  div: (a: Expr, b: Expr): Expr => ({ op: 'div', a, b }),
  max: (a: Expr, b: Expr): Expr => ({ op: 'max', a, b }),
  sqrt: (a: Expr): Expr => ({ op: 'sqrt', a }),
};

const BINARY = { add: op.f32x4Add, sub: op.f32x4Sub, mul: op.f32x4Mul, div: op.f32x4Div, max: op.f32x4Max };

/** The wasm function of one loop: scalar splats, then the loop over the arrays, 16 bytes a step. */
export function compileLoop(fn: LoopFunction): WasmFunction {
  const params = [...fn.arrays, 'byteLength', ...fn.scalars];
  const index = new Map(params.map((p, i) => [p, i]));
  const position = params.length; // local: i32 byte position in the arrays
  const temps = [...new Set(fn.body.flatMap((s) => ('let' in s ? [s.let] : [])))];
  const vLocal = new Map<string, number>();
  [...fn.scalars.map((s) => `scalar:${s}`), ...temps.map((t) => `temp:${t}`)].forEach((name, k) =>
    vLocal.set(name, position + 1 + k),
  );
  const address = (array: string): number[] => {
    const p = index.get(array);
    if (p === undefined) throw new Error(`simd loop ${fn.name}: unknown array '${array}'`);
    return seq(op.get(p), op.get(position), op.add);
  };
  const expr = (e: Expr): number[] => {
    switch (e.op) {
      case 'load':
        return seq(address(e.array), op.v128Load);
      case 'scalar':
      case 'temp': {
        const local = vLocal.get(`${e.op}:${e.name}`);
        if (local === undefined) throw new Error(`simd loop ${fn.name}: unknown ${e.op} '${e.name}'`);
        return seq(op.get(local));
      }
      case 'sqrt':
        return seq(expr(e.a), op.f32x4Sqrt);
      default:
        return seq(expr(e.a), expr(e.b), BINARY[e.op]);
    }
  };
  const splats = fn.scalars.map((s) => seq(op.get(index.get(s)!), op.f32x4Splat, op.set(vLocal.get(`scalar:${s}`)!)));
  const steps = fn.body.map((s) =>
    'let' in s
      ? seq(expr(s.value), op.set(vLocal.get(`temp:${s.let}`)!))
      : seq(address(s.store), expr(s.value), op.v128Store),
  );
  return {
    name: fn.name,
    params: [...repeat(ValueType.i32, fn.arrays.length + 1), ...repeat(ValueType.f32, fn.scalars.length)],
    locals: [ValueType.i32, ...repeat(ValueType.v128, vLocal.size)],
    body: seq(...splats, range(position, op.i32(0), index.get('byteLength')!, seq(...steps), 16)),
  };
}

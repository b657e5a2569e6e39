/**
 * Compiles element-wise float32 loops over the TF.js WASM backend's own heap to WebAssembly (the
 * encoding and instantiation are ../wasm-simd's): each function walks its arrays 4 floats at a
 * time with 128-bit SIMD and evaluates a small expression tree per step. It exists because a
 * JavaScript loop over a weight-sized tensor is several times slower than the backend's SIMD
 * kernels, so a fused kernel must run as wasm too.
 *
 * Float32x4 `+ − × ÷ √ max` round exactly like scalar float32 arithmetic, so a loop here gives
 * the same numbers as the same formula evaluated with `Math.fround` after every operation
 * (../fused/loop-interpreter.ts evaluates it so, where the SIMD loop cannot run).
 *
 * A loop runs over one flat range, or (`strided`) over `rows` rows of the same width, each array
 * advancing by its own row stride after a row: a stride of 0 repeats one row for every row (a
 * bias), and a stride wider than the row walks one block of a wider matrix (a gate's columns).
 */
import { repeat, ValueType, type WasmFunction } from './encoding.js';
import { op, range, seq } from './instructions.js';

/** An expression over float32x4 lanes. */
export type Expr =
  | { op: 'load'; array: string }
  | { op: 'scalar'; name: string }
  | { op: 'const'; value: number }
  | { op: 'temp'; name: string }
  | { op: 'add' | 'sub' | 'mul' | 'div' | 'max'; a: Expr; b: Expr }
  | { op: 'sqrt'; a: Expr };

/** A statement of the loop body: keep a value in a temporary, or store it to an output array. */
export type Stmt = { let: string; value: Expr } | { store: string; value: Expr };

/**
 * One exported function: `(…arrays: i32 byte offsets, byteLength: i32, …scalars: f32)`, or when
 * `strided`, `(…arrays, rowByteLength: i32, rows: i32, …array row strides in bytes: i32, …scalars)`.
 */
export interface LoopFunction {
  name: string;
  arrays: readonly string[];
  scalars: readonly string[];
  body: readonly Stmt[];
  strided?: boolean;
}

/** Expression helpers, so formulas read like the optimizers' code. */
export const E = {
  load: (array: string): Expr => ({ op: 'load', array }),
  s: (name: string): Expr => ({ op: 'scalar', name }),
  c: (value: number): Expr => ({ op: 'const', value }),
  t: (name: string): Expr => ({ op: 'temp', name }),
  add: (a: Expr, b: Expr): Expr => ({ op: 'add', a, b }),
  sub: (a: Expr, b: Expr): Expr => ({ op: 'sub', a, b }),
  mul: (a: Expr, b: Expr): Expr => ({ op: 'mul', a, b }),
  div: (a: Expr, b: Expr): Expr => ({ op: 'div', a, b }),
  max: (a: Expr, b: Expr): Expr => ({ op: 'max', a, b }),
  sqrt: (a: Expr): Expr => ({ op: 'sqrt', a }),
};

const BINARY = { add: op.f32x4Add, sub: op.f32x4Sub, mul: op.f32x4Mul, div: op.f32x4Div, max: op.f32x4Max };

/** How {@link compileLoop} exports a loop. */
export interface CompileOptions {
  /** The export name (default: the loop's own). */
  name?: string;
  /**
   * Take the scalars as i32 parameters holding their float32 bits (for callers that can pass only
   * integers, e.g. the tile pool's call table); default: f32 parameters.
   */
  scalarBits?: boolean;
}

/** The wasm function of one loop: scalar splats, then the loop over the arrays, 16 bytes a step. */
export function compileLoop(fn: LoopFunction, options: CompileOptions = {}): WasmFunction {
  const scalarType = options.scalarBits === true ? ValueType.i32 : ValueType.f32;
  const scalarValue = options.scalarBits === true ? op.f32ReinterpretI32 : [];
  const strided = fn.strided === true;
  const strides = strided ? fn.arrays.map((a) => `stride:${a}`) : [];
  const params = [...fn.arrays, 'byteLength', ...(strided ? ['rows'] : []), ...strides, ...fn.scalars];
  const index = new Map(params.map((p, i) => [p, i]));
  const position = params.length; // local: i32 byte position in the arrays
  const row = position + 1; // local: i32 row (strided loops)
  const temps = [...new Set(fn.body.flatMap((s) => ('let' in s ? [s.let] : [])))];
  const constants = [...new Set(fn.body.flatMap((s) => constantsOf(s.value)))];
  const vLocal = new Map<string, number>();
  [
    ...fn.scalars.map((s) => `scalar:${s}`),
    ...temps.map((t) => `temp:${t}`),
    ...constants.map((c) => `const:${c}`),
  ].forEach((name, k) => vLocal.set(name, row + 1 + k));
  const address = (array: string): number[] => {
    const p = index.get(array);
    if (p === undefined) throw new Error(`simd loop ${fn.name}: unknown array '${array}'`);
    return seq(op.get(p), op.get(position), op.add);
  };
  const vector = (key: string, what: string): number[] => {
    const local = vLocal.get(key);
    if (local === undefined) throw new Error(`simd loop ${fn.name}: unknown ${what}`);
    return seq(op.get(local));
  };
  const expr = (e: Expr): number[] => {
    switch (e.op) {
      case 'load':
        return seq(address(e.array), op.v128Load);
      case 'scalar':
      case 'temp':
        return vector(`${e.op}:${e.name}`, `${e.op} '${e.name}'`);
      case 'const':
        return vector(`const:${e.value}`, `constant ${e.value}`);
      case 'sqrt':
        return seq(expr(e.a), op.f32x4Sqrt);
      default:
        return seq(expr(e.a), expr(e.b), BINARY[e.op]);
    }
  };
  const splats = [
    ...fn.scalars.map((s) =>
      seq(op.get(index.get(s)!), scalarValue, op.f32x4Splat, op.set(vLocal.get(`scalar:${s}`)!)),
    ),
    ...constants.map((c) => seq(op.f32(c), op.f32x4Splat, op.set(vLocal.get(`const:${c}`)!))),
  ];
  const steps = fn.body.map((s) =>
    'let' in s
      ? seq(expr(s.value), op.set(vLocal.get(`temp:${s.let}`)!))
      : seq(address(s.store), expr(s.value), op.v128Store),
  );
  const inner = range(position, op.i32(0), index.get('byteLength')!, seq(...steps), 16);
  // After a row, every array moves on by its stride.
  const advance = fn.arrays.map((a) =>
    seq(op.get(index.get(a)!), op.get(index.get(`stride:${a}`)!), op.add, op.set(index.get(a)!)),
  );
  return {
    name: options.name ?? fn.name,
    params: [...repeat(ValueType.i32, params.length - fn.scalars.length), ...repeat(scalarType, fn.scalars.length)],
    locals: [ValueType.i32, ValueType.i32, ...repeat(ValueType.v128, vLocal.size)],
    body: seq(...splats, strided ? range(row, op.i32(0), index.get('rows')!, seq(inner, ...advance)) : inner),
  };
}

/** The constants an expression uses. */
function constantsOf(e: Expr): number[] {
  switch (e.op) {
    case 'const':
      return [e.value];
    case 'load':
    case 'scalar':
    case 'temp':
      return [];
    case 'sqrt':
      return constantsOf(e.a);
    default:
      return [...constantsOf(e.a), ...constantsOf(e.b)];
  }
}

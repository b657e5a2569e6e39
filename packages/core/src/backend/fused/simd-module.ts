/**
 * A tiny WebAssembly code generator for element-wise float32 loops over the TF.js WASM backend's
 * own heap: each function walks its arrays 4 floats at a time with 128-bit SIMD and evaluates a
 * small expression tree per step. It exists because a JavaScript loop over a weight-sized tensor
 * is several times slower than the backend's SIMD kernels, so a fused kernel must run as wasm too.
 *
 * The module imports the backend's `WebAssembly.Memory`, so pointers are the byte offsets of
 * `typedArrayFromHeap` views and nothing is copied. Float32x4 `+ − × ÷ √ max` round exactly like
 * scalar float32 arithmetic, so a loop here gives the same numbers as the same formula evaluated
 * with `Math.fround` after every operation.
 */

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

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;
/** SIMD opcodes (after the 0xfd prefix). */
const SIMD = {
  load: 0x00,
  store: 0x0b,
  splat: 0x13,
  sqrt: 0xe3,
  add: 0xe4,
  sub: 0xe5,
  mul: 0xe6,
  div: 0xe7,
  max: 0xe9,
};

function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const simd = (op: number): number[] => [0xfd, ...uleb(op)];
const str = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const vector = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];

/** The code of one function: locals, scalar splats, then the loop. */
function functionBody(fn: LoopFunction): number[] {
  const params = [...fn.arrays, 'byteLength', ...fn.scalars];
  const index = new Map(params.map((p, i) => [p, i]));
  const position = params.length; // local: i32 byte position in the arrays
  const temps = [...new Set(fn.body.flatMap((s) => ('let' in s ? [s.let] : [])))];
  const vLocal = new Map<string, number>();
  [...fn.scalars.map((s) => `scalar:${s}`), ...temps.map((t) => `temp:${t}`)].forEach((name, k) =>
    vLocal.set(name, position + 1 + k),
  );
  const get = (i: number): number[] => [0x20, ...uleb(i)];
  const set = (i: number): number[] => [0x21, ...uleb(i)];
  const address = (array: string): number[] => {
    const p = index.get(array);
    if (p === undefined) throw new Error(`simd loop ${fn.name}: unknown array '${array}'`);
    return [...get(p), ...get(position), 0x6a];
  };
  const expr = (e: Expr): number[] => {
    switch (e.op) {
      case 'load':
        return [...address(e.array), ...simd(SIMD.load), 0, 0];
      case 'scalar':
      case 'temp': {
        const local = vLocal.get(`${e.op}:${e.name}`);
        if (local === undefined) throw new Error(`simd loop ${fn.name}: unknown ${e.op} '${e.name}'`);
        return get(local);
      }
      case 'sqrt':
        return [...expr(e.a), ...simd(SIMD.sqrt)];
      default:
        return [...expr(e.a), ...expr(e.b), ...simd(SIMD[e.op])];
    }
  };
  const code: number[] = [];
  for (const s of fn.scalars) code.push(...get(index.get(s)!), ...simd(SIMD.splat), ...set(vLocal.get(`scalar:${s}`)!));
  code.push(0x02, 0x40, 0x03, 0x40); // block, loop
  code.push(...get(position), ...get(index.get('byteLength')!), 0x4f, 0x0d, 1); // i >= byteLength: break
  for (const s of fn.body) {
    if ('let' in s) code.push(...expr(s.value), ...set(vLocal.get(`temp:${s.let}`)!));
    else code.push(...address(s.store), ...expr(s.value), ...simd(SIMD.store), 0, 0);
  }
  code.push(...get(position), 0x41, ...sleb(16), 0x6a, ...set(position), 0x0c, 0, 0x0b, 0x0b, 0x0b);
  const locals = [
    [1, I32],
    [vLocal.size, V128],
  ].filter(([count]) => count! > 0);
  const body = [...vector(locals.map(([count, type]) => [...uleb(count!), type!])), ...code];
  return [...uleb(body.length), ...body];
}

/** The module's bytes: the functions, importing `env.memory` (shared or not, like the backend's). */
export function buildModule(functions: readonly LoopFunction[], sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  const types = functions.map((fn) => [
    0x60,
    ...vector([...fn.arrays.map(() => [I32]), [I32], ...fn.scalars.map(() => [F32])]),
    0,
  ]);
  // Shared memory needs a maximum: the wasm32 limit accepts whatever the backend declared.
  const limits = sharedMemory ? [0x03, 0, ...uleb(65536)] : [0x00, 0];
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, vector([[...str('env'), ...str('memory'), 0x02, ...limits]])),
    ...section(3, vector(functions.map((_, k) => uleb(k)))),
    ...section(7, vector(functions.map((fn, k) => [...str(fn.name), 0x00, ...uleb(k)]))),
    ...section(10, vector(functions.map(functionBody))),
  ];
  return new Uint8Array(bytes);
}

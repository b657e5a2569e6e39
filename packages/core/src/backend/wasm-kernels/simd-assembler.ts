/**
 * A minimal WebAssembly assembler: just enough to build small SIMD loop kernels in code (no
 * toolchain, no binary blobs in the repository). Every function takes i32 parameters and
 * returns nothing; the module imports its memory as `env.memory`.
 *
 * Instructions are byte arrays; `range` builds the counted loops the kernels are made of.
 */

/** Unsigned LEB128. */
function u32(value: number): number[] {
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

/** Signed LEB128 (32-bit). */
function s32(value: number): number[] {
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

/** One instruction or sequence of them. */
export type Code = readonly number[];

const simd = (op: number, ...immediates: number[]): Code => [0xfd, ...u32(op), ...immediates];
const memarg = (align: number, offset = 0): number[] => [align, ...u32(offset)];

/** The instructions the kernels use (operands come from the stack, as in the text format). */
export const op = {
  get: (local: number): Code => [0x20, ...u32(local)],
  set: (local: number): Code => [0x21, ...u32(local)],
  tee: (local: number): Code => [0x22, ...u32(local)],
  i32: (value: number): Code => [0x41, ...s32(value)],
  add: [0x6a],
  mul: [0x6c],
  and: [0x71],
  shl: [0x74],
  shrU: [0x76],
  geU: [0x4f],
  ltU: [0x49],
  i32Load: [0x28, ...memarg(2)],
  f32Load: [0x2a, ...memarg(2)],
  f32Store: [0x38, ...memarg(2)],
  v128Load: simd(0x00, ...memarg(0)),
  v128Store: simd(0x0b, ...memarg(0)),
  /** v128.load / v128.store with a constant byte offset added to the address. */
  v128LoadAt: (offset: number): Code => simd(0x00, ...memarg(0, offset)),
  v128StoreAt: (offset: number): Code => simd(0x0b, ...memarg(0, offset)),
  f32x4Splat: simd(0x13),
  f32x4Mul: simd(0xe6),
  /** i8x16.shuffle: byte i of the result is byte lanes[i] of the two operands (0–15 first, 16–31 second). */
  shuffle: (lanes: readonly number[]): Code => simd(0x0d, ...lanes),
  i32x4Splat: simd(0x11),
  i32x4Eq: simd(0x37),
  f32x4Ne: simd(0x42),
  f32x4Gt: simd(0x44),
  v128And: simd(0x4e),
  v128Or: simd(0x50),
  bitselect: simd(0x52),
  f32x4Add: simd(0xe4),
  /** Lane-wise maximum; NaN when either lane is NaN. */
  f32x4Max: simd(0xe9),
} as const;

/** Concatenates instruction sequences. */
export function seq(...parts: Code[]): number[] {
  return parts.flat();
}

/**
 * for (i = start; i < end; i += step) body — skipped entirely when start ≥ end (unsigned).
 * `start` is code that pushes the first value; `end` is a local.
 */
export function range(i: number, start: Code, end: number, body: Code, step = 1): Code {
  return seq(
    [0x02, 0x40], // block
    start,
    op.tee(i),
    op.get(end),
    op.geU,
    [0x0d, 0], // br_if 0: nothing to do
    [0x03, 0x40], // loop
    body,
    op.get(i),
    op.i32(step),
    op.add,
    op.tee(i),
    op.get(end),
    op.ltU,
    [0x0d, 0], // br_if 0: next iteration
    [0x0b, 0x0b], // end loop, end block
  );
}

/** A function of `params` i32 parameters with extra i32 and v128 locals (numbered after them). */
export interface WasmFunction {
  name: string;
  params: number;
  i32Locals: number;
  v128Locals: number;
  body: Code;
}

function section(id: number, content: number[]): number[] {
  return [id, ...u32(content.length), ...content];
}

function vector(items: number[][]): number[] {
  return [...u32(items.length), ...items.flat()];
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...u32(bytes.length), ...bytes];
}

/** The binary module: imports `env.memory`, exports each function under its name. */
export function assemble(functions: WasmFunction[]): Uint8Array {
  const arities = [...new Set(functions.map((f) => f.params))];
  const types = arities.map((n) => [0x60, ...u32(n), ...new Array<number>(n).fill(0x7f), 0]);
  const memoryImport = [...name('env'), ...name('memory'), 0x02, 0x00, ...u32(1)];
  const code = functions.map((f) => {
    const locals = vector([
      [...u32(f.i32Locals), 0x7f],
      [...u32(f.v128Locals), 0x7b],
    ]);
    const body = [...locals, ...f.body, 0x0b];
    return [...u32(body.length), ...body];
  });
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, vector([memoryImport])),
    ...section(3, vector(functions.map((f) => u32(arities.indexOf(f.params))))),
    ...section(7, vector(functions.map((f, i) => [...name(f.name), 0x00, ...u32(i)]))),
    ...section(10, vector(code)),
  ]);
}

/**
 * The instructions of Strata's SIMD loop modules, as byte sequences (operands come from the
 * stack, as in the text format), and `range`, the counted loop they are made of. Float32x4
 * `+ − × ÷ √ max` round exactly like the scalar float32 operations, lane by lane.
 */
import { repeat, s32, u32, ValueType, type Code } from './encoding.js';

const simd = (opcode: number, ...immediates: number[]): Code => [0xfd, ...u32(opcode), ...immediates];
const memarg = (align: number, offset = 0): number[] => [align, ...u32(offset)];

/** The instructions the loops use. */
export const op = {
  get: (local: number): Code => [0x20, ...u32(local)],
  set: (local: number): Code => [0x21, ...u32(local)],
  tee: (local: number): Code => [0x22, ...u32(local)],
  /** Calls function `index` of the module (its place in the module's list). */
  call: (index: number): Code => [0x10, ...u32(index)],
  i32: (value: number): Code => [0x41, ...s32(value)],
  /** f32.const: the value rounded to float32, little-endian. */
  f32: (value: number): Code => [0x43, ...new Uint8Array(new Float32Array([value]).buffer)],
  add: [0x6a],
  mul: [0x6c],
  and: [0x71],
  shl: [0x74],
  shrU: [0x76],
  geU: [0x4f],
  ltU: [0x49],
  drop: [0x1a],
  i32Load: [0x28, ...memarg(2)],
  /** i32.load with a constant byte offset added to the address. */
  i32LoadAt: (offset: number): Code => [0x28, ...memarg(2, offset)],
  f32Load: [0x2a, ...memarg(2)],
  f32Store: [0x38, ...memarg(2)],
  /** f32.reinterpret_i32: the i32's bits as a float32. */
  f32ReinterpretI32: [0xbe],
  v128Load: simd(0x00, ...memarg(0)),
  v128Store: simd(0x0b, ...memarg(0)),
  /** v128.load / v128.store with a constant byte offset added to the address. */
  v128LoadAt: (offset: number): Code => simd(0x00, ...memarg(0, offset)),
  v128StoreAt: (offset: number): Code => simd(0x0b, ...memarg(0, offset)),
  /** i8x16.shuffle: byte i of the result is byte lanes[i] of the two operands (0–15 first, 16–31 second). */
  shuffle: (lanes: readonly number[]): Code => simd(0x0d, ...lanes),
  /** v128.load32_splat: one float32 from memory in all four lanes. */
  v128Load32Splat: simd(0x09, ...memarg(2)),
  i32x4Splat: simd(0x11),
  f32x4Splat: simd(0x13),
  i32x4Eq: simd(0x37),
  f32x4Ne: simd(0x42),
  f32x4Gt: simd(0x44),
  v128And: simd(0x4e),
  v128Or: simd(0x50),
  bitselect: simd(0x52),
  f32x4Sqrt: simd(0xe3),
  f32x4Add: simd(0xe4),
  f32x4Sub: simd(0xe5),
  f32x4Mul: simd(0xe6),
  f32x4Div: simd(0xe7),
  /** Lane-wise maximum; NaN when either lane is NaN. */
  f32x4Max: simd(0xe9),
  /**
   * f32x4.relaxed_madd (relaxed SIMD): a·b + c from the stack (a, b, c), rounded once where the
   * CPU has a fused multiply-add, twice elsewhere; fused-multiply-add.ts decides when to use it.
   */
  f32x4RelaxedMadd: simd(0x105),
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

/** A loop's parameters: `count` i32s (addresses, sizes and strides). */
export const params = (count: number): ValueType[] => repeat(ValueType.i32, count);

/** A loop's locals: `i32s` i32s, then `v128s` vectors, numbered after the parameters. */
export const locals = (i32s: number, v128s: number): ValueType[] => [
  ...repeat(ValueType.i32, i32s),
  ...repeat(ValueType.v128, v128s),
];

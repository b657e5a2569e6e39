/**
 * Whether Strata's product tiles multiply and add in one fused, once-rounded step.
 *
 * WebAssembly SIMD has no fused multiply-add: a product tile spends a multiply and an add on
 * every term, and those instructions, not memory, bound its speed (~33 GFLOP/s per thread at
 * 2.6 GHz). Relaxed SIMD's `f32x4.relaxed_madd` compiles to the CPU's FMA instruction where there
 * is one: the tiles then issue half the arithmetic and run ~15 % faster. Node 20's V8 (11.3) has
 * relaxed SIMD behind `--experimental-wasm-relaxed-simd`; it is switched on here the first time
 * it is needed (it only lets modules use the extra instructions). Newer engines validate it as is.
 *
 * `relaxed_madd` may also round twice (on CPUs without FMA), so the tiles use it only when a probe
 * shows one rounding: every output element is then the in-order chain of fused multiply-adds on
 * any thread count, and otherwise the in-order chain of multiplies and adds, exactly as XNNPACK
 * computes it. Either result is within float32 rounding of the other; `STRATA_FMA=0` keeps the
 * second everywhere.
 */
import { setFlagsFromString } from 'node:v8';
import { encodeModule } from './encoding.js';
import { hasWasmSimd } from './heap-module.js';
import { locals, op, params, seq } from './instructions.js';

/** The environment variable that turns the fused multiply-add off (`0`, `false` or `off`). */
export const FMA_VARIABLE = 'STRATA_FMA';

const RELAXED_SIMD_FLAG = '--experimental-wasm-relaxed-simd';

/** probe(at): the four floats at `at + 16` become relaxed_madd(splat a, splat b, splat c) of the floats a, b, c at `at`. */
// prettier-ignore
const probe = encodeModule(
  [
    {
      name: 'probe',
      params: params(1),
      locals: locals(0, 0),
      body: seq(
        op.get(0),
        ...[0, 4, 8].map((offset) => seq(op.get(0), op.i32(offset), op.add, op.f32Load, op.f32x4Splat)),
        op.f32x4RelaxedMadd,
        op.v128StoreAt(16),
      ),
    },
  ],
  false,
);

/** Whether relaxed_madd rounds once here: (1 + 2⁻¹²)² − 1 is 2⁻¹¹ + 2⁻²⁴ fused, 2⁻¹¹ when the product is rounded first. */
function roundsOnce(): boolean {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const run = new WebAssembly.Instance(new WebAssembly.Module(probe), { env: { memory } }).exports['probe'] as (
    at: number,
  ) => void;
  const floats = new Float32Array(memory.buffer, 0, 8);
  floats.set([1 + 2 ** -12, 1 + 2 ** -12, -1]);
  run(0);
  return floats[4] === 2 ** -11 + 2 ** -24;
}

/**
 * Whether the tiles can fuse here, given the value of `STRATA_FMA` (`0`, `false` or `off`: no):
 * relaxed SIMD validates (after switching on V8's flag if needed) and its multiply-add rounds once.
 */
export function detectFusedMultiplyAdd(setting: string | undefined): boolean {
  const value = (setting ?? '').trim().toLowerCase();
  if (['0', 'false', 'off'].includes(value) || !hasWasmSimd()) return false;
  try {
    if (!WebAssembly.validate(probe)) setFlagsFromString(RELAXED_SIMD_FLAG);
    return WebAssembly.validate(probe) && roundsOnce();
  } catch {
    return false;
  }
}

let fused: boolean | undefined;

/**
 * True when the product tiles use a once-rounded fused multiply-add (decided once per process:
 * the SIMD modules are built from it, and every thread must compute the same floats).
 */
export function fusedMultiplyAdd(): boolean {
  fused ??= detectFusedMultiplyAdd(process.env[FMA_VARIABLE]);
  return fused;
}

/**
 * acc + x·y for three vector locals, leaving the sum on the stack: one fused instruction when
 * `fuse`, else a multiply and an add (each rounded).
 */
export function multiplyAdd(acc: number, x: number, y: number, fuse: boolean): number[] {
  return fuse
    ? seq(op.get(x), op.get(y), op.get(acc), op.f32x4RelaxedMadd)
    : seq(op.get(acc), op.get(x), op.get(y), op.f32x4Mul, op.f32x4Add);
}

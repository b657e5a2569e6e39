/**
 * The fused multiply-add switch: off when STRATA_FMA says so, on where relaxed SIMD rounds once
 * (every x64 CPU with FMA3, e.g. this project's machines), and `multiplyAdd` computes what it says
 * either way. The tests' exact float32 FMA reference (test-support) is checked against the CPU's.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fusedMultiplyAdd32, seededValues } from '../wasm-kernels/test-support.test-suite.js';
import { encodeModule } from './encoding.js';
import { detectFusedMultiplyAdd, fusedMultiplyAdd, multiplyAdd } from './fused-multiply-add.js';
import { locals, op, params, range, seq } from './instructions.js';

/** Whether /proc/cpuinfo lists FMA3 (Linux only; null elsewhere). */
function cpuHasFma(): boolean | null {
  try {
    return /^flags\s*:.*\bfma\b/m.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return null;
  }
}

/** madd(at, count): for i < count, the floats at at + 16i (x, y, acc, ·) become x·y + acc in lane 0. */
function multiplyAddOn(fuse: boolean): { floats: Float32Array; run: (count: number) => void } {
  const memory = new WebAssembly.Memory({ initial: 64 });
  // Locals: 2 i, 3 address; 4 x, 5 y, 6 acc.
  // prettier-ignore
  const body = range(2, op.i32(0), 1, seq(
    op.get(0), op.get(2), op.i32(4), op.shl, op.add, op.set(3),
    ...[0, 4, 8].map((offset, k) => seq(op.get(3), op.i32(offset), op.add, op.f32Load, op.f32x4Splat, op.set(4 + k))),
    op.get(3), multiplyAdd(6, 4, 5, fuse), op.v128Store,
  ));
  const module = new WebAssembly.Module(
    encodeModule([{ name: 'madd', params: params(2), locals: locals(2, 3), body }], false),
  );
  const madd = new WebAssembly.Instance(module, { env: { memory } }).exports['madd'] as (at: number, n: number) => void;
  return { floats: new Float32Array(memory.buffer), run: (count) => madd(0, count) };
}

describe('the fused multiply-add switch', () => {
  it('is off when STRATA_FMA turns it off', () => {
    for (const setting of ['0', 'false', 'OFF', ' off ']) expect(detectFusedMultiplyAdd(setting), setting).toBe(false);
  });

  it('is on where the CPU has FMA3 (relaxed SIMD switched on for Node 20), and decided once', () => {
    const hasFma = cpuHasFma();
    if (hasFma === null)
      console.warn('no /proc/cpuinfo here: the CPU’s FMA support is not known, only consistency is checked');
    else expect(detectFusedMultiplyAdd(undefined)).toBe(hasFma);
    expect(fusedMultiplyAdd()).toBe(fusedMultiplyAdd());
  });

  it('multiplyAdd rounds once when fused and twice when not', () => {
    const x = 1 + 2 ** -12;
    for (const fuse of fusedMultiplyAdd() ? [true, false] : [false]) {
      const { floats, run } = multiplyAddOn(fuse);
      floats.set([x, x, -1]);
      run(1);
      expect(floats[0], fuse ? 'fused' : 'separate').toBe(fuse ? 2 ** -11 + 2 ** -24 : 2 ** -11);
    }
  });
});

/**
 * Triples whose double sum x·y + acc is a float32 midpoint although the exact sum is not: with
 * u = 2⁻²³, (1 + u)·2⁻²⁴(1 − u) + (1 + u) = 1 + u + 2⁻²⁴ − 2⁻⁷⁰ (the double drops 2⁻⁷⁰; rounding
 * that tie to even would give 1 + 2u, the exact sum rounds to 1 + u); negated and scaled.
 */
const TIES: [number, number, number][] = [1, -1, 2 ** 20, -(2 ** -30)].map((scale) => [
  scale * (1 + 2 ** -23),
  2 ** -24 * (1 - 2 ** -23),
  scale * (1 + 2 ** -23),
]);

describe.skipIf(!fusedMultiplyAdd())('the tests’ float32 FMA reference (skipped: no fused multiply-add here)', () => {
  it('equals the CPU’s fused multiply-add on random triples and on double-rounding ties', () => {
    const count = 50_000;
    const { floats, run } = multiplyAddOn(true);
    const [xs, ys, accs] = [seededValues(count, 11), seededValues(count, 12), seededValues(count, 13)];
    // Every fifth accumulator is tiny against the product (its bits fall off the double sum).
    const triples = Array.from({ length: count }, (_, i): [number, number, number] =>
      i < TIES.length ? TIES[i]! : [xs[i]!, ys[i]!, Math.fround(i % 5 === 0 ? accs[i]! * 2 ** -40 : accs[i]!)],
    );
    triples.forEach((triple, i) => floats.set(triple, 4 * i));
    run(count);
    const got = triples.map((_, i) => floats[4 * i]!);
    const expected = triples.map(([x, y, acc]) => fusedMultiplyAdd32(x, y, acc));
    expect(
      got.findIndex((v, i) => !Object.is(v, expected[i])),
      'first differing triple',
    ).toBe(-1);
  });
});

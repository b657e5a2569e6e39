/**
 * Timing script (not a test; it asserts nothing about time): the kernels of workload B (Embedding
 * (20000, 128) → LSTM(64, dropout .2, recurrent_dropout .2) → Dense(1), batch 32 × 80) outside the
 * LSTM sequence kernels, on the wasm backend, each with Strata's current kernels and with the
 * paths they replace (XNNPACK with per-call packing, the stock Transpose), interleaved so that a
 * busy machine slows both alike. Best and median ms of fresh-input calls.
 *
 *   node --conditions=strata-source --import tsx bench/wasm-kernels/workload-b.ts
 */
import { selectBackend, tf } from '../../packages/core/src/index.js';
import { withoutFastMatrixTranspose } from '../../packages/core/src/backend/wasm-kernels/fast-matrix-transpose.js';
import { withoutTiledMatMul } from '../../packages/core/src/backend/wasm-kernels/tiled-matmul.js';
import { timeCase, type KernelCase } from './workload-a.js';

await selectBackend('wasm');

const [T, B, F, H] = [80, 32, 128, 64];
const R = T * B;
let seed = 500;
const rand = (shape: number[]): tf.Tensor => tf.randomUniform(shape, -1, 1, 'float32', seed++);
const product = (label: string, a: number[], b: number[], transposeA: boolean, transposeB: boolean): KernelCase => {
  const m = transposeA ? a[1]! : a[0]!;
  const k = transposeA ? a[0]! : a[1]!;
  const n = transposeB ? b[0]! : b[1]!;
  return {
    label,
    kernel: 'BatchMatMul',
    make: () => ({ a: rand(a), b: rand(b) }),
    attrs: { transposeA, transposeB },
    flops: 2 * m * k * n,
  };
};

const CASES: KernelCase[] = [
  product('B: gate projection (x⊙m_g)·K_g (×4)', [R, F], [F, H], false, false),
  product('B: its input gradient dz_g·K_gᵀ (×4)', [R, H], [F, H], false, true),
  product('B: its kernel gradient (x⊙m_g)ᵀ·dz_g (×4)', [R, F], [R, H], true, false),
  product('B0: projection x·K', [R, F], [F, 4 * H], false, false),
  product('B0: input gradient dz·Kᵀ', [R, 4 * H], [F, 4 * H], false, true),
  product('B0: kernel gradient xᵀ·dz', [R, F], [R, 4 * H], true, false),
  { label: 'Transpose [2560, 128]', kernel: 'Transpose', make: () => ({ x: rand([R, F]) }), attrs: { perm: [1, 0] } },
  {
    label: 'UnsortedSegmentSum (Embedding gradient)',
    kernel: 'UnsortedSegmentSum',
    make: () => ({ x: rand([R, F]), segmentIds: tf.randomUniform([R], 0, 20000, 'int32', seed++) }),
    attrs: { numSegments: 20000 },
  },
];

const ROUNDS = 7;
const median = (xs: number[]): number => [...xs].sort((p, q) => p - q)[xs.length >> 1]!;
console.log(`${'workload-B kernel (wasm, one thread)'.padEnd(46)} ${'now: best / median ms'.padStart(24)}   before`);
for (const c of CASES) {
  const now: number[] = [];
  const before: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    now.push(timeCase(c, 3));
    before.push(withoutTiledMatMul(() => withoutFastMatrixTranspose(() => timeCase(c, 3))));
  }
  const rate = (ms: number): string => (c.flops === undefined ? '' : ` ${(c.flops / ms / 1e6).toFixed(1)} GFLOP/s`);
  const cell = (xs: number[]): string =>
    `${Math.min(...xs).toFixed(2)} / ${median(xs).toFixed(2)}${rate(Math.min(...xs))}`;
  console.log(`${c.label.padEnd(46)} ${cell(now).padStart(24)}   ${cell(before)}`);
}
console.log('(the UnsortedSegmentSum "before" column is the current kernel too: its SIMD rows have no switch)');

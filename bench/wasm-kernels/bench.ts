/**
 * Timing script (not a test; it asserts nothing about time).
 *
 * 1. The wasm compute ceiling (GFLOP/s of BatchMatMul on large square float32 products, one
 *    thread) and memory ceiling (GB/s of a large in-heap copy).
 * 2. Every hot training kernel of workload A (the Keras MNIST convnet, batch 128) at its real
 *    shapes: ms per call, GFLOP/s and % of the matmul ceiling for compute-bound kernels, GB/s
 *    and % of the copy ceiling for memory-bound ones (pooling, bias-gradient Sum; a kernel that
 *    mostly reads, like Sum, can pass 100 % of a read + write copy). Inputs are fresh each call,
 *    as in training, so XNNPACK's per-call packing of a changing operand is counted.
 * 3. The other custom wasm kernels (depthwise gradients, UnsortedSegmentSum), with the cpu
 *    backend's time unless --wasm-only (the cpu numbers are single cold calls: seconds each).
 *
 * Prints tables and writes bench/wasm-kernels/last-run.json. Run on an idle machine:
 *   pnpm bench wasm-kernels   (or: node --conditions=strata-source --import tsx bench/wasm-kernels/bench.ts --wasm-only)
 *   ... bench.ts --only MaxPool   (only the workload-A kernels whose label contains 'MaxPool')
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { selectBackend, tf } from '../../packages/core/src/index.js';
import { WORKLOAD_A_CASES, matMulCeiling, memoryCeiling, timeCase, type KernelCase } from './workload-a.js';

// Registers both backends (the tfjs-core instance is @strata/core's, so its kernels are the ones timed).
await selectBackend('cpu');
await selectBackend('wasm');
const wasmOnly = process.argv.includes('--wasm-only');
/** `--only TEXT`: time only the workload-A kernels whose label contains TEXT (and skip the others). */
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? (process.argv[onlyAt + 1] ?? '') : null;

// The ceilings are measured before, between and after the kernels and the best kept: on a shared
// machine any single measurement can land in a busy moment.
const ceilings = [matMulCeiling([512, 768, 1024], 5)];
const timed = WORKLOAD_A_CASES.filter((c) => only === null || c.label.includes(only)).map((c) => {
  const ms = timeCase(c, 10);
  ceilings.push(matMulCeiling([768], 3));
  return [c, ms] as const;
});
ceilings.push(matMulCeiling([512, 768, 1024], 5));
const ceiling = ceilings.reduce((best, c) => (c.gflops > best.gflops ? c : best));
const memory = Math.max(memoryCeiling(10), memoryCeiling(10), memoryCeiling(10));
console.log(
  `tfjs-core ${tf.version_core}, wasm backend, one thread; best-of-N ms per kernel call, fresh inputs each call`,
);
console.log(
  `Compute ceiling (BatchMatMul, same operands): ${ceiling.gflops.toFixed(1)} GFLOP/s  [` +
    Object.entries(ceiling.bySize)
      .map(([n, g]) => `${n} ${g.toFixed(1)}`)
      .join(', ') +
    ']',
);
console.log(`Memory ceiling (in-heap copy, read + write): ${memory.toFixed(1)} GB/s\n`);

interface Row {
  label: string;
  kernel: string;
  ms: number;
  gflops: number | null;
  gbPerS: number | null;
  percentOfCeiling: number;
}

function rowOf(c: KernelCase, ms: number): Row {
  const gflops = c.flops === undefined ? null : c.flops / ms / 1e6;
  const gbPerS = c.bytes === undefined ? null : c.bytes / ms / 1e6;
  const percentOfCeiling = gflops !== null ? (100 * gflops) / ceiling.gflops : (100 * (gbPerS ?? 0)) / memory;
  return { label: c.label, kernel: c.kernel, ms, gflops, gbPerS, percentOfCeiling };
}

const rows = timed.map(([c, ms]) => rowOf(c, ms));
console.log(
  `${'Workload A kernel (batch 128)'.padEnd(44)} ${'ms'.padStart(7)} ${'rate'.padStart(15)} ${'% ceiling'.padStart(10)}`,
);
for (const r of rows) {
  const rate = r.gflops !== null ? `${r.gflops.toFixed(1)} GFLOP/s` : `${(r.gbPerS ?? 0).toFixed(1)} GB/s`;
  console.log(
    `${r.label.padEnd(44)} ${r.ms.toFixed(2).padStart(7)} ${rate.padStart(15)} ${r.percentOfCeiling.toFixed(0).padStart(9)}%`,
  );
}
const total = rows.reduce((sum, r) => sum + r.ms, 0);
console.log(`${'total (one call each)'.padEnd(44)} ${total.toFixed(2).padStart(7)}\n`);

/** The other custom kernels, with the cpu backend's time for comparison. */
const others: Pick<KernelCase, 'label' | 'kernel' | 'make' | 'attrs'>[] = [
  {
    label: 'DepthwiseConv2dNativeBackpropFilter 128x28x28x32 3x3',
    kernel: 'DepthwiseConv2dNativeBackpropFilter',
    make: () => ({
      x: tf.randomUniform([128, 28, 28, 32], -1, 1, 'float32', 3),
      dy: tf.randomUniform([128, 28, 28, 32], -1, 1, 'float32', 4),
    }),
    attrs: { strides: 1, pad: 'same', dilations: 1, filterShape: [3, 3, 32, 1] },
  },
  {
    label: 'DepthwiseConv2dNativeBackpropInput 128x28x28x32 3x3',
    kernel: 'DepthwiseConv2dNativeBackpropInput',
    make: () => ({
      dy: tf.randomUniform([128, 28, 28, 32], -1, 1, 'float32', 4),
      filter: tf.randomUniform([3, 3, 32, 1], -1, 1, 'float32', 5),
    }),
    attrs: { strides: 1, pad: 'same', dilations: 1, inputShape: [128, 28, 28, 32] },
  },
  {
    label: 'UnsortedSegmentSum 2560x64 -> 1000 rows',
    kernel: 'UnsortedSegmentSum',
    make: () => ({
      x: tf.randomUniform([128 * 20, 64], -1, 1, 'float32', 6),
      segmentIds: tf.randomUniform([128 * 20], 0, 1000, 'int32', 7),
    }),
    attrs: { numSegments: 1000 },
  },
];
const otherRows: { label: string; wasmMs: number; cpuMs: number | null }[] = [];
for (const c of only === null ? others : []) {
  await tf.setBackend('wasm');
  const wasmMs = timeCase(c, 5);
  let cpuMs: number | null = null;
  if (!wasmOnly) {
    await tf.setBackend('cpu');
    cpuMs = timeCase(c, 1);
  }
  otherRows.push({ label: c.label, wasmMs, cpuMs });
  const cpu =
    cpuMs === null ? '' : `   cpu ${cpuMs.toFixed(1).padStart(8)} ms   speed-up ${(cpuMs / wasmMs).toFixed(1)}x`;
  console.log(`${c.label.padEnd(52)} wasm ${wasmMs.toFixed(1).padStart(7)} ms${cpu}`);
}

const out = fileURLToPath(new URL('./last-run.json', import.meta.url));
writeFileSync(
  out,
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      tfjsCore: tf.version_core,
      ceiling: { matMulGflops: ceiling.gflops, matMulBySize: ceiling.bySize, memoryGBPerS: memory },
      workloadA: rows,
      otherKernels: otherRows,
    },
    null,
    2,
  )}\n`,
);
console.log(`\nwrote ${out}`);

/**
 * One issue-9 workload in a fresh process (issue9.ts starts one per workload and thread setting,
 * with STRATA_THREADS set, so that each has its own peak RSS and its own backend threads):
 * Strata's training steps, then TF.js Layers' on the same backend, then the WASM matmul ceiling.
 * A-predict times `predict` calls instead and reports everything per predict batch (the "step").
 * Prints one JSON line (a {@link ChildResult}) last.
 *
 *   node --conditions=strata-source --import tsx bench/training/workload-child.ts --workload A [--steps 10 --warmup 3]
 */
import { performance } from 'node:perf_hooks';
import * as core from '../../packages/core/src/index.js';
import { backendName, initBackend, tf } from '../../packages/core/src/index.js';
import { fusedMultiplyAdd } from '../../packages/core/src/backend/wasm-simd/fused-multiply-add.js';
import { median } from './timing.js';
import {
  PREDICT_BATCH,
  PREDICT_SAMPLES,
  WORKLOADS,
  batchFor,
  isPredict,
  strataModel,
  tfjsModel,
  type Workload,
} from './workloads.js';

/** What one child measured. */
export interface ChildResult {
  workload: Workload;
  backend: string;
  /** The backend's thread count as Strata reports it (1 where core has no `backendThreads()`). */
  threads: number;
  /** Median ms per step (A-predict: per predict batch of 256). */
  strataMsPerStep: number;
  strataMinMs: number;
  strataMaxMs: number;
  /** Kernels one step dispatches (A-predict: one predict call's ÷ its batches, so it may be fractional). */
  kernelCallsPerStep: number;
  /** Kernel calls and ms per step by name, busiest first (the first 8). */
  topKernels: { name: string; calls: number; ms: number }[];
  /** `tf.memory().numTensors` growth over the measured steps (0: flat, nothing leaks). */
  tensorGrowth: number;
  /** Peak resident set size after Strata's steps (before TF.js Layers runs), MB. */
  peakRssMb: number;
  tfjsMsPerStep: number | null;
  /** Why there is no TF.js Layers time (its error), or null. */
  tfjsSkipped: string | null;
  /** Whether Strata's SIMD product tiles fuse multiply-adds here (relaxed SIMD, STRATA_FMA). */
  fusedMultiplyAdd: boolean;
  /** GFLOP/s of one large float32 matmul on this backend (the ceiling for matmul-shaped work). */
  matmulGflops: number;
}

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] !== undefined ? process.argv[index + 1]! : fallback;
}

const workload = option('workload', '') as Workload;
if (!(WORKLOADS as readonly string[]).includes(workload)) {
  throw new Error(`--workload must be one of ${WORKLOADS.join(', ')}, got "${workload}"`);
}
const STEPS = Number(option('steps', '10'));
const WARMUP = Number(option('warmup', '3'));

/** A-predict's step is one predict batch: each timed call (all inputs) counts PER_CALL steps. */
const PER_CALL = isPredict(workload) ? Math.ceil(PREDICT_SAMPLES / PREDICT_BATCH) : 1;

/** Times `steps` calls after `warmup` untimed ones; ms per step. */
async function timeSteps(step: () => unknown): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await step();
  const times: number[] = [];
  for (let i = 0; i < STEPS; i++) {
    const start = performance.now();
    await step();
    times.push((performance.now() - start) / PER_CALL);
  }
  return times;
}

/** Reads a predict result back (predict is not done until its values are on the CPU) and frees it. */
function readBack(out: tf.Tensor | tf.Tensor[]): void {
  const tensor = out as tf.Tensor;
  tensor.dataSync();
  tensor.dispose();
}

/** The backend's thread count: `backendThreads()` where @strata/core has it (it may not yet), else 1. */
function backendThreads(): number {
  if (!('backendThreads' in core)) return 1;
  const read = (core as unknown as { backendThreads: unknown }).backendThreads;
  return typeof read === 'function' ? Number((read as () => number)()) : 1;
}

/** GFLOP/s of a 512×512 · 512×512 float32 matmul, median of 5 after one warm-up. */
function matmulGflops(): number {
  const n = 512;
  const [a, b] = [tf.randomUniform([n, n], -1, 1, 'float32', 7), tf.randomUniform([n, n], -1, 1, 'float32', 8)];
  const times: number[] = [];
  for (let i = 0; i < 6; i++) {
    const start = performance.now();
    const c = tf.matMul(a, b);
    c.dataSync();
    times.push(performance.now() - start);
    c.dispose();
  }
  tf.dispose([a, b]);
  return (2 * n * n * n) / (median(times.slice(1)) * 1e6);
}

await initBackend();
const threads = backendThreads();

const batch = batchFor(workload);
const model = strataModel(workload);
const step = isPredict(workload)
  ? (): void => readBack(model.predict(batch.x, { batchSize: PREDICT_BATCH, verbose: 0 }))
  : (): void => void model.trainOnBatch(batch.x, batch.y);
for (let i = 0; i < WARMUP; i++) step();
const tensorsBefore = tf.memory().numTensors;
const times = await timeSteps(step);
const tensorGrowth = tf.memory().numTensors - tensorsBefore;
const profile = await tf.profile(step);
const byName = new Map<string, { calls: number; ms: number }>();
for (const kernel of profile.kernels) {
  const entry = byName.get(kernel.name) ?? { calls: 0, ms: 0 };
  entry.calls += 1;
  entry.ms += typeof kernel.kernelTimeMs === 'number' ? kernel.kernelTimeMs : 0;
  byName.set(kernel.name, entry);
}
const topKernels = [...byName.entries()]
  .map(([name, e]) => ({ name, calls: e.calls / PER_CALL, ms: Math.round((e.ms / PER_CALL) * 10) / 10 }))
  .sort((p, q) => q.ms - p.ms)
  .slice(0, 8);
const peakRssMb = process.resourceUsage().maxRSS / 1024;
model.dispose();

// TF.js Layers on the same backend and kernels (Strata's registered training kernels included).
let tfjsMsPerStep: number | null = null;
let tfjsSkipped: string | null = null;
try {
  const tfjs = tfjsModel(workload);
  const tfjsStep = isPredict(workload)
    ? (): void => readBack(tfjs.predict(batch.x, { batchSize: PREDICT_BATCH }))
    : () => tfjs.trainOnBatch(batch.x, batch.y);
  tfjsMsPerStep = median(await timeSteps(tfjsStep));
  tfjs.dispose();
} catch (error) {
  tfjsSkipped = `TF.js Layers cannot run it on ${backendName()}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
}
tf.dispose([batch.x, batch.y]);

const result: ChildResult = {
  workload,
  backend: backendName(),
  threads,
  strataMsPerStep: median(times),
  strataMinMs: Math.min(...times),
  strataMaxMs: Math.max(...times),
  kernelCallsPerStep: profile.kernels.length / PER_CALL,
  topKernels,
  tensorGrowth,
  peakRssMb,
  tfjsMsPerStep,
  tfjsSkipped,
  fusedMultiplyAdd: backendName() === 'wasm' && fusedMultiplyAdd(),
  matmulGflops: matmulGflops(),
};
console.log(JSON.stringify(result));

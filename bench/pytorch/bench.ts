/**
 * Benchmark (not a test) of training speed against PyTorch on the same machine, issue 9's workloads:
 *   A   Keras MNIST convnet, Adam, batch 128
 *   B   Embedding(20000, 128) → LSTM(64, dropout .2, recurrent_dropout .2) → Dense(1, sigmoid), Adam, batch 32 × 80 tokens
 *   B0  the same with recurrent_dropout 0
 *   C   MLP 784-512-512-10 with Dropout .2, RMSprop, batch 128
 * For each: Strata's median ms per training step, samples/s, kernel calls per step (tf.profile), and
 * PyTorch's ms per step for the same model and step on 1 thread and on all cores
 * (`torch_workloads.py`), when a Python that can import torch is at hand, with the ratio per core.
 *
 * Run from the repo root:
 *   pnpm bench pytorch
 *   STRATA_BENCH_PYTHON=/path/to/python pnpm bench pytorch   (a Python that can import torch)
 * It never asserts on time; it prints a table and writes it as JSON (bench/pytorch/last-run.json).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Input, Sequential, backendName, initBackend, layers, tf } from '../../packages/core/src/index.js';
import { buildConvnet } from '../../examples/mnist-convnet/model.js';
import { buildMlp } from '../../examples/mnist-mlp/model.js';

const STEPS = 10;
const WARMUP = 3;
type Workload = 'A' | 'B' | 'B0' | 'C';
const WORKLOADS: readonly Workload[] = ['A', 'B', 'B0', 'C'];

interface Setup {
  model: Sequential;
  x: tf.Tensor;
  y: tf.Tensor;
  batch: number;
}

/** The workload's model (compiled as its Keras original) and one batch of data of the right shapes. */
function setup(workload: Workload): Setup {
  if (workload === 'B' || workload === 'B0') {
    const model = new Sequential([
      Input([80], null, 'int32'),
      new layers.Embedding(20000, 128),
      new layers.LSTM(64, { dropout: 0.2, recurrentDropout: workload === 'B' ? 0.2 : 0 }),
      new layers.Dense(1, { activation: 'sigmoid' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
    const x = tf.randomUniform([32, 80], 0, 20000, 'int32', 1);
    const y = tf.tidy(() => tf.round(tf.randomUniform([32, 1], 0, 1, 'float32', 2)));
    return { model, x, y, batch: 32 };
  }
  const labels = tf.tidy(() => tf.oneHot(tf.randomUniform([128], 0, 10, 'int32', 3), 10).toFloat());
  // The examples' own builders (compiled as the Keras originals: Adam for A, RMSprop for C).
  if (workload === 'A') {
    return { model: buildConvnet(), x: tf.randomUniform([128, 28, 28, 1], 0, 1, 'float32', 4), y: labels, batch: 128 };
  }
  return { model: buildMlp(), x: tf.randomUniform([128, 784], 0, 1, 'float32', 5), y: labels, batch: 128 };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function strata(workload: Workload): Promise<{ ms: number; kernels: number; batch: number }> {
  const { model, x, y, batch } = setup(workload);
  for (let i = 0; i < WARMUP; i++) model.trainOnBatch(x, y);
  const before = tf.memory().numTensors;
  const times: number[] = [];
  for (let i = 0; i < STEPS; i++) {
    const start = performance.now();
    model.trainOnBatch(x, y);
    times.push(performance.now() - start);
  }
  // The tensor count is flat over steps (no leaks).
  const grown = tf.memory().numTensors - before;
  if (grown !== 0) throw new Error(`${workload}: the tensor count grew by ${grown} over ${STEPS} steps`);
  const profile = await tf.profile(() => {
    model.trainOnBatch(x, y);
  });
  tf.dispose([x, y]);
  model.dispose();
  return { ms: median(times), kernels: profile.kernels.length, batch };
}

let torchSkipped = false;
/** PyTorch's ms per step, or null (the reason printed once) when no Python can import torch. */
function torchMs(workload: Workload, threads: number): number | null {
  if (torchSkipped) return null;
  const python = process.env['STRATA_BENCH_PYTHON'] ?? 'python3';
  const script = fileURLToPath(new URL('./torch_workloads.py', import.meta.url));
  const run = spawnSync(python, [script, '--workload', workload, '--threads', String(threads)], { encoding: 'utf8' });
  if (run.status !== 0) {
    const reason = (run.stderr || String(run.error)).trim().split('\n').pop();
    console.log(
      `PyTorch rows skipped: ${python} cannot run torch_workloads.py (${reason}); set STRATA_BENCH_PYTHON to a Python with torch`,
    );
    torchSkipped = true;
    return null;
  }
  return (JSON.parse(run.stdout.trim().split('\n').pop()!) as { ms_per_step: number }).ms_per_step;
}

await initBackend();
const machine = `${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} cores`;
console.log(`backend: ${backendName()} (one thread); ${machine}, load ${loadavg()[0]!.toFixed(2)}`);
const rows = [];
for (const workload of WORKLOADS) {
  const { ms, kernels, batch } = await strata(workload);
  const torch1 = torchMs(workload, 1);
  const torchAll = torch1 === null ? null : torchMs(workload, availableParallelism());
  const row = {
    workload,
    strataMsPerStep: ms,
    strataSamplesPerSecond: (batch * 1000) / ms,
    kernelCallsPerStep: kernels,
    torch1MsPerStep: torch1,
    torchAllMsPerStep: torchAll,
    ratioPerCore: torch1 === null ? null : torch1 / ms,
  };
  rows.push(row);
}
const fmt = (v: number | null, digits = 0): string => (v === null ? '—' : v.toFixed(digits));
console.log(
  '\n| workload | Strata ms/step | Strata samples/s | kernel calls/step | PyTorch 1 thread ms/step | PyTorch all threads ms/step | ratio per core |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  const cells = [fmt(r.strataMsPerStep), fmt(r.strataSamplesPerSecond), String(r.kernelCallsPerStep)];
  cells.push(fmt(r.torch1MsPerStep), fmt(r.torchAllMsPerStep), fmt(r.ratioPerCore, 2));
  console.log(`| ${r.workload} | ${cells.join(' | ')} |`);
}
const peakRssMb = process.resourceUsage().maxRSS / 1024;
console.log(`peak RSS: ${peakRssMb.toFixed(0)} MB`);
const out = fileURLToPath(new URL('./last-run.json', import.meta.url));
writeFileSync(
  out,
  JSON.stringify({ date: new Date().toISOString(), machine, backend: backendName(), rows, peakRssMb }, null, 2),
);
console.log(`written: ${out}`);

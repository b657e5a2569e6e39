/**
 * Benchmark (not a test) of the recurrent training path, issue 9's workloads B and B0:
 * Embedding(20000, 128) → LSTM(64, dropout 0.2, recurrent_dropout 0.2 | 0) → Dense(1, sigmoid),
 * Adam, batch 32 of 80 tokens, one training step per batch. Reports ms per step, samples/s, kernel
 * calls per step (tf.profile), peak RSS, and the ratio against PyTorch on the same machine when a
 * Python with torch is available (`torch_lstm.py`, the same model and step; 1 and all threads).
 *
 * Run from the repo root:
 *   pnpm bench recurrent
 *   STRATA_BENCH_PYTHON=/path/to/python pnpm bench recurrent   (a Python that can import torch)
 * It never asserts on time; it prints a table and writes it as JSON (bench/recurrent/last-run.json).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Input, Sequential, backendName, initBackend, layers, tf } from '../../packages/core/src/index.js';

const STEPS = 10;
const WARMUP = 3;
const BATCH = 32;
const TIMESTEPS = 80;
const VOCAB = 20000;

interface Row {
  workload: string;
  recurrentDropout: number;
  strataMsPerStep: number;
  strataSamplesPerSecond: number;
  kernelCallsPerStep: number;
  torch1MsPerStep: number | null;
  torchAllMsPerStep: number | null;
  ratioPerCore: number | null;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function strata(recurrentDropout: number): Promise<{ ms: number; kernels: number }> {
  const model = new Sequential([
    Input([TIMESTEPS], null, 'int32'),
    new layers.Embedding(VOCAB, 128),
    new layers.LSTM(64, { dropout: 0.2, recurrentDropout }),
    new layers.Dense(1, { activation: 'sigmoid' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
  const x = tf.randomUniform([BATCH, TIMESTEPS], 0, VOCAB, 'int32', 1);
  const y = tf.tidy(() => tf.round(tf.randomUniform([BATCH, 1], 0, 1, 'float32', 2)));
  for (let i = 0; i < WARMUP; i++) model.trainOnBatch(x, y);
  const before = tf.memory().numTensors;
  const times: number[] = [];
  for (let i = 0; i < STEPS; i++) {
    const start = performance.now();
    model.trainOnBatch(x, y);
    times.push(performance.now() - start);
  }
  // The tensor count is flat over steps (no leaks).
  if (tf.memory().numTensors !== before)
    throw new Error(`tensor count grew by ${tf.memory().numTensors - before} over ${STEPS} steps`);
  const profile = await tf.profile(() => {
    model.trainOnBatch(x, y);
  });
  tf.dispose([x, y]);
  model.dispose();
  return { ms: median(times), kernels: profile.kernels.length };
}

/** PyTorch's ms per step, or null (with the reason printed once) when no Python can import torch. */
function torchMs(recurrentDropout: number, threads: number): number | null {
  const python = process.env['STRATA_BENCH_PYTHON'] ?? 'python3';
  const script = fileURLToPath(new URL('./torch_lstm.py', import.meta.url));
  const run = spawnSync(
    python,
    [script, '--threads', String(threads), '--recurrent-dropout', String(recurrentDropout)],
    {
      encoding: 'utf8',
    },
  );
  if (run.status !== 0) {
    if (!torchSkipped)
      console.log(
        `PyTorch rows skipped: ${python} cannot run torch_lstm.py (${(run.stderr || String(run.error)).trim().split('\n').pop()}); set STRATA_BENCH_PYTHON to a Python with torch`,
      );
    torchSkipped = true;
    return null;
  }
  return (JSON.parse(run.stdout.trim().split('\n').pop()!) as { ms_per_step: number }).ms_per_step;
}
let torchSkipped = false;

await initBackend();
console.log(
  `backend: ${backendName()} (one thread); ${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} cores, load ${loadavg()[0]!.toFixed(2)}`,
);
const rows: Row[] = [];
for (const [workload, recurrentDropout] of [
  ['B', 0.2],
  ['B0', 0],
] as const) {
  const { ms, kernels } = await strata(recurrentDropout);
  const torch1 = torchMs(recurrentDropout, 1);
  const torchAll = torch1 === null ? null : torchMs(recurrentDropout, availableParallelism());
  rows.push({
    workload,
    recurrentDropout,
    strataMsPerStep: ms,
    strataSamplesPerSecond: (BATCH * 1000) / ms,
    kernelCallsPerStep: kernels,
    torch1MsPerStep: torch1,
    torchAllMsPerStep: torchAll,
    ratioPerCore: torch1 === null ? null : torch1 / ms,
  });
}
const fmt = (v: number | null, digits = 0): string => (v === null ? '—' : v.toFixed(digits));
console.log(
  '\n| workload | Strata ms/step | Strata samples/s | kernel calls/step | PyTorch 1 thread ms/step | PyTorch all threads ms/step | ratio per core |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(
    `| ${r.workload} (recurrent_dropout ${r.recurrentDropout}) | ${fmt(r.strataMsPerStep)} | ${fmt(r.strataSamplesPerSecond)} | ${r.kernelCallsPerStep} | ${fmt(r.torch1MsPerStep)} | ${fmt(r.torchAllMsPerStep)} | ${fmt(r.ratioPerCore, 2)} |`,
  );
}
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
const out = fileURLToPath(new URL('./last-run.json', import.meta.url));
writeFileSync(
  out,
  JSON.stringify(
    { date: new Date().toISOString(), backend: backendName(), rows, peakRssMb: process.resourceUsage().maxRSS / 1024 },
    null,
    2,
  ),
);
console.log(`written: ${out}`);

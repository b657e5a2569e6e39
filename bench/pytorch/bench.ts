/**
 * Benchmark (not a test) of training speed against PyTorch on the same machine, issue 9's workloads:
 *   A   Keras MNIST convnet, Adam, batch 128
 *   B   Embedding(20000, 128) → LSTM(64, dropout .2, recurrent_dropout .2) → Dense(1, sigmoid), Adam, batch 32 × 80 tokens
 *   B0  the same with recurrent_dropout 0
 *   C   MLP 784-512-512-10 with Dropout .2, RMSprop, batch 128
 * For each: Strata's median ms per training step on one thread and on all cores (`STRATA_THREADS`,
 * each in its own process: strata-workloads.ts), samples/s, kernel calls per step (tf.profile), and
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
// Types only: importing strata-workloads.ts would run it.
import type { StrataRun } from './strata-workloads.js';
import { WORKLOADS, type Workload } from './workloads.js';

/** Strata's results with `threads` threads, from a fresh process (the thread count is fixed at start). */
function strataRun(threads: number): StrataRun {
  const script = fileURLToPath(new URL('./strata-workloads.ts', import.meta.url));
  const run = spawnSync(process.execPath, ['--conditions=strata-source', '--import', 'tsx', script, ...WORKLOADS], {
    encoding: 'utf8',
    env: { ...process.env, STRATA_THREADS: String(threads) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (run.status !== 0)
    throw new Error(`strata-workloads.ts with STRATA_THREADS=${threads} failed (exit ${run.status})`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as StrataRun;
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

const cores = availableParallelism();
const machine = `${cpus()[0]?.model ?? 'cpu'}, ${cores} cores`;
console.log(`${machine}, load ${loadavg()[0]!.toFixed(2)}`);
const one = strataRun(1);
const all = cores > 1 ? strataRun(cores) : one;
console.log(`Strata backend: ${one.backend} and ${all.backend}`);
const rows = [];
for (const workload of WORKLOADS) {
  const single = one.results[workload]!;
  const every = all.results[workload]!;
  const torch1 = torchMs(workload, 1);
  const torchAll = torch1 === null ? null : torchMs(workload, cores);
  rows.push({
    workload,
    strataMsPerStep: single.ms,
    strataSamplesPerSecond: (single.batch * 1000) / single.ms,
    strataAllThreadsMsPerStep: every.ms,
    strataAllThreadsSamplesPerSecond: (every.batch * 1000) / every.ms,
    threadSpeedup: single.ms / every.ms,
    kernelCallsPerStep: single.kernels,
    torch1MsPerStep: torch1,
    torchAllMsPerStep: torchAll,
    ratioPerCore: torch1 === null ? null : torch1 / single.ms,
    ratioAllCores: torchAll === null ? null : torchAll / every.ms,
  });
}
const fmt = (v: number | null, digits = 0): string => (v === null ? '—' : v.toFixed(digits));
console.log(
  `\n| workload | Strata 1 thread ms/step | Strata ${all.threads} threads ms/step | thread speed-up | ` +
    `Strata samples/s (1 / ${all.threads} threads) | kernel calls/step | PyTorch 1 thread ms/step | ` +
    `PyTorch ${cores} threads ms/step | ratio per core | ratio all cores |`,
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  const cells = [fmt(r.strataMsPerStep), fmt(r.strataAllThreadsMsPerStep), `${fmt(r.threadSpeedup, 2)}×`];
  cells.push(
    `${fmt(r.strataSamplesPerSecond)} / ${fmt(r.strataAllThreadsSamplesPerSecond)}`,
    String(r.kernelCallsPerStep),
  );
  cells.push(fmt(r.torch1MsPerStep), fmt(r.torchAllMsPerStep), fmt(r.ratioPerCore, 2), fmt(r.ratioAllCores, 2));
  console.log(`| ${r.workload} | ${cells.join(' | ')} |`);
}
const peakRssMb = Math.max(one.peakRssMb, all.peakRssMb);
console.log(`peak RSS: ${peakRssMb.toFixed(0)} MB`);
const out = fileURLToPath(new URL('./last-run.json', import.meta.url));
writeFileSync(
  out,
  JSON.stringify(
    { date: new Date().toISOString(), machine, backend: [one.backend, all.backend], rows, peakRssMb },
    null,
    2,
  ),
);
console.log(`written: ${out}`);

/**
 * Benchmark (not a test) of training speed, `pnpm bench training`. It never asserts on time.
 *
 * 1. Issue 9's workloads A, A-predict, B, B0, C (issue9.ts): Strata with one thread and with all threads (one
 *    child process each), TF.js Layers on the same backend, and PyTorch with 1 and all threads when a
 *    Python with torch is at hand; samples/s, kernel calls per step, peak RSS, tensor count, ratio per
 *    core. Table printed and written to bench/training/last-run.json.
 * 2. Strata vs TF.js Layers pairs (pairs.ts): MNIST MLP and convnet (train and predict), LSTM(32).
 *
 * Run from the repo root:
 *   pnpm bench training
 *   node --conditions=strata-source --import tsx bench/training/bench.ts [--only A,A-predict,B,B0,C,mlp,convnet,lstm]
 *        [--steps N] [--warmup N] [--rounds N] [--backend wasm|cpu] [--samples 2048] [--predict-samples 2048]
 *        [--profile] [--wasm-fast-matmul]
 *   STRATA_BENCH_PYTHON=/path/to/python pnpm bench training   (a Python that can import torch)
 * See bench/training/README.md for how to read the tables.
 */
import { issue9Workloads, runIssue9 } from './issue9.js';
import { PAIR_WORKLOADS, runPairs } from './pairs.js';
import { WORKLOADS } from './workloads.js';

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] !== undefined ? process.argv[index + 1]! : fallback;
}

const valid: readonly string[] = [...WORKLOADS, ...PAIR_WORKLOADS];
const only = option('only', valid.join(',')).split(',');
const unknown = only.filter((name) => !valid.includes(name));
if (unknown.length > 0) {
  throw new Error(`--only: unknown workload ${unknown.join(', ')}; valid: ${valid.join(', ')}`);
}

const workloads = issue9Workloads(only);
if (workloads.length > 0) {
  runIssue9({
    workloads,
    steps: Number(option('steps', '10')),
    warmup: Number(option('warmup', '3')),
    rounds: Number(option('rounds', '1')),
    backend: option('backend', ''),
  });
}
if (only.some((name) => (PAIR_WORKLOADS as readonly string[]).includes(name))) {
  console.log('\nStrata vs TF.js Layers pairs (same process, same backend):');
  await runPairs();
}

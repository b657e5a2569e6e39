/**
 * The Strata vs TF.js Layers pairs of `pnpm bench training` (bench.ts runs them after issue 9's
 * workloads): the Keras MNIST MLP and convnet (training step and predict) on real MNIST digits,
 * and an LSTM(32) training step on random sequences, both libraries on the same backend, in the
 * same process, sharing one @tensorflow/tfjs-core instance. See README.md for the options.
 */
import { createRequire } from 'node:module';
import { realpathSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as tfl from '@tensorflow/tfjs-layers';
import { backendName, initBackend, tf } from '../../packages/core/src/index.js';
import { loadMnist, toCategorical } from '../../examples/datasets/src/index.js';
import { buildPair, maxOutputDifference, type ModelPair, type WorkloadName } from './models.js';
import { measureInterleaved, type Measurement } from './timing.js';
import { printProfile } from './profile.js';
// Opt-in kernel, not part of initBackend(); see --wasm-fast-matmul.
import { registerWasmFastTransposedMatMul } from '../../packages/core/src/backend/wasm-kernels/index.js';

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] !== undefined ? process.argv[index + 1]! : fallback;
}
const BACKEND = option('backend', 'wasm');
// The plain-JS cpu backend is ~5-20× slower than wasm: fewer steps and predict samples by default.
const SLOW = BACKEND === 'cpu';
const STEPS = Number(option('steps', SLOW ? '6' : '20'));
const WARMUP = Number(option('warmup', SLOW ? '2' : '3'));
const SAMPLES = Number(option('samples', '2048'));
const PREDICT_SAMPLES = Number(option('predict-samples', SLOW ? '512' : '2048'));
/** The pair workloads; `--only` may also name issue 9's (bench.ts runs those). */
export const PAIR_WORKLOADS: readonly WorkloadName[] = ['mlp', 'convnet', 'lstm'];
const ONLY = option('only', PAIR_WORKLOADS.join(',')).split(',') as WorkloadName[];
const PROFILE = process.argv.includes('--profile');
const FAST_MATMUL = process.argv.includes('--wasm-fast-matmul');
const BATCH = 128;
const LSTM = { batch: 32, timesteps: 50, features: 16 };

/** Where a module resolves @tensorflow/tfjs-core from (real path, after pnpm's symlinks). */
function tfjsCoreSeenFrom(moduleFile: string): string {
  return realpathSync(createRequire(moduleFile).resolve('@tensorflow/tfjs-core'));
}

function checkSharedCore(): string {
  const require = createRequire(import.meta.url);
  const layersEntry = realpathSync(require.resolve('@tensorflow/tfjs-layers'));
  const fromLayers = tfjsCoreSeenFrom(layersEntry);
  const fromStrata = tfjsCoreSeenFrom(new URL('../../packages/core/src/index.ts', import.meta.url).pathname);
  const layersCore = createRequire(layersEntry)('@tensorflow/tfjs-core') as typeof tf;
  const same = fromLayers === fromStrata && layersCore.Tensor === tf.Tensor;
  return same
    ? `shared (${fromStrata.replace(/.*node_modules\/\.pnpm\//, '.pnpm/')})`
    : `NOT SHARED: Strata uses ${fromStrata}, TF.js Layers uses ${fromLayers}`;
}

interface Row {
  workload: string;
  strata: Measurement;
  tfjs: Measurement;
  /** Divides the measured time into the reported unit (e.g. batches per predict call). */
  per: number;
  note: string;
}
const rows: Row[] = [];

/** Splits `[n, ...]` data into consecutive batches of `size` (the last, partial one is dropped). */
function batches(x: tf.Tensor, size: number): tf.Tensor[] {
  const count = Math.floor(x.shape[0]! / size);
  return Array.from({ length: count }, (_, i) => tf.slice(x, i * size, size));
}

/** Times training steps of both models, cycling through the batches. */
async function benchTraining(label: string, pair: ModelPair, xs: tf.Tensor[], ys: tf.Tensor[]): Promise<void> {
  console.log(`  running ${label} …`);
  const [strata, tfjs] = await measureInterleaved(
    (i) => void pair.strata.trainOnBatch(xs[i % xs.length]!, ys[i % ys.length]!),
    async (i) => void (await pair.tfjs.trainOnBatch(xs[i % xs.length]!, ys[i % ys.length]!)),
    WARMUP,
    STEPS,
  );
  rows.push({ workload: label, strata, tfjs, per: 1, note: '' });
}

/** Times `predict` over the first PREDICT_SAMPLES samples (batch 128); reported per 128-sample batch. */
async function benchPredict(label: string, pair: ModelPair, all: tf.Tensor): Promise<void> {
  const x = tf.slice(all, 0, Math.min(PREDICT_SAMPLES, all.shape[0]!));
  const run = (predict: () => tf.Tensor | tf.Tensor[]): void => {
    const out = predict() as tf.Tensor;
    out.dataSync();
    out.dispose();
  };
  const repeats = Math.max(3, Math.round(STEPS / 4));
  console.log(`  running ${label} …`);
  const [strata, tfjs] = await measureInterleaved(
    () => run(() => pair.strata.predict(x, { batchSize: BATCH, verbose: 0 })),
    () => run(() => pair.tfjs.predict(x, { batchSize: BATCH })),
    1,
    repeats,
  );
  const batchesPerCall = x.shape[0]! / BATCH;
  const perSecond = (m: Measurement): string => `${Math.round((x.shape[0]! * 1000) / m.medianMs)}`;
  rows.push({
    workload: label,
    strata,
    tfjs,
    per: batchesPerCall,
    note: `samples/s ${perSecond(strata)} vs ${perSecond(tfjs)}; median of ${repeats} predict(${x.shape[0]}) calls`,
  });
  x.dispose();
}

function printTable(): void {
  const f = (ms: number): string => ms.toFixed(1);
  const header = ['workload', 'Strata ms/step', 'TF.js Layers ms/step', 'ratio S/T', 'Δtensors/step S|T'];
  const body = rows.map((r) => [
    r.workload,
    `${f(r.strata.medianMs / r.per)} (${f(r.strata.minMs / r.per)}–${f(r.strata.maxMs / r.per)})`,
    `${f(r.tfjs.medianMs / r.per)} (${f(r.tfjs.minMs / r.per)}–${f(r.tfjs.maxMs / r.per)})`,
    (r.strata.medianMs / r.tfjs.medianMs).toFixed(2),
    `${r.strata.maxTensorGrowthPerStep} | ${r.tfjs.maxTensorGrowthPerStep}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${line(header)}`);
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of body) console.log(line(row));
  for (const r of rows) if (r.note !== '') console.log(`  ${r.workload}: ${r.note}`);
}

/** Runs the Strata vs TF.js Layers pairs selected by `--only` (all by default) and prints their table. */
export async function runPairs(): Promise<void> {
  process.env['STRATA_BACKEND'] = BACKEND;
  const backend = await initBackend();
  if (FAST_MATMUL) {
    if (backend !== 'wasm') throw new Error(`--wasm-fast-matmul needs the wasm backend, got ${backend}`);
    registerWasmFastTransposedMatMul();
    console.log(
      'opt-in registerWasmFastTransposedMatMul() is active (it replaces the wasm BatchMatMul kernel, for both libraries)',
    );
  }
  console.log(`backend: ${backendName()} (Strata initBackend → ${backend}; choose with --backend wasm|cpu)`);
  console.log(`TF.js Layers ${tfl.version_layers}; @tensorflow/tfjs-core ${tf.version_core}: ${checkSharedCore()}`);
  if (backend === 'wasm') {
    console.log(
      "note: Strata's initBackend() registers WASM training kernels (e.g. Conv2DBackpropFilter) that stock\n" +
        '      tfjs-backend-wasm lacks; TF.js Layers runs in the same process and uses them too (without them it\n' +
        '      cannot train the convnet on WASM at all).',
    );
  }
  console.log(
    `steps: ${WARMUP} warm-up (excluded) + ${STEPS} measured per library, interleaved; median (min–max) shown; ` +
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on this machine (other processes add noise)`,
  );

  const { train } = loadMnist({ trainCount: SAMPLES });
  const labels = tf.tensor2d(toCategorical(train.labels, 10), [train.count, 10]);
  const flat = tf.tensor2d(train.images, [train.count, 784]);
  const images = tf.reshape(flat, [train.count, 28, 28, 1]);
  const yBatches = batches(labels, BATCH);
  const startTensors = tf.memory().numTensors;
  const memoryNotes: string[] = [];

  async function workload(name: WorkloadName, run: (pair: ModelPair) => Promise<void>): Promise<void> {
    if (!ONLY.includes(name)) return;
    const pair = buildPair(name, LSTM);
    const before = tf.memory().numTensors;
    await run(pair);
    memoryNotes.push(
      `${name}: ${before} tensors after building both models, ${tf.memory().numTensors} after all its steps`,
    );
    pair.strata.dispose();
    pair.tfjs.dispose();
  }

  await workload('mlp', async (pair) => {
    const xs = batches(flat, BATCH);
    const check = maxOutputDifference(pair, xs[0]!);
    await benchTraining('MLP train (batch 128)', pair, xs, yBatches);
    await benchPredict('MLP predict (per batch of 128)', pair, flat);
    rows[rows.length - 2]!.note = `same initial weights: max |Δ output| = ${check.toExponential(1)}`;
    if (PROFILE) await printProfile('MLP training step', pair, xs[0]!, yBatches[0]!, 5);
    tf.dispose(xs);
  });

  await workload('convnet', async (pair) => {
    const xs = batches(images, BATCH);
    const check = maxOutputDifference(pair, xs[0]!);
    await benchTraining('convnet train (batch 128)', pair, xs, yBatches);
    await benchPredict('convnet predict (per batch of 128)', pair, images);
    rows[rows.length - 2]!.note = `same initial weights: max |Δ output| = ${check.toExponential(1)}`;
    if (PROFILE) await printProfile('convnet training step', pair, xs[0]!, yBatches[0]!, 5);
    tf.dispose(xs);
  });

  await workload('lstm', async (pair) => {
    const xs = Array.from({ length: 4 }, (_, i) =>
      tf.randomNormal([LSTM.batch, LSTM.timesteps, LSTM.features], 0, 1, 'float32', 100 + i),
    );
    const ys = Array.from({ length: 4 }, (_, i) => tf.randomNormal([LSTM.batch, 1], 0, 1, 'float32', 200 + i));
    const check = maxOutputDifference(pair, xs[0]!);
    await benchTraining(`LSTM(32) train (${LSTM.batch}×${LSTM.timesteps}×${LSTM.features})`, pair, xs, ys);
    rows[rows.length - 1]!.note = `same initial weights: max |Δ output| = ${check.toExponential(1)}`;
    if (PROFILE) await printProfile('LSTM training step', pair, xs[0]!, ys[0]!, 5);
    tf.dispose([...xs, ...ys]);
  });

  printTable();
  console.log(
    `\ntf.memory().numTensors: ${startTensors} with the data loaded; ${memoryNotes.join('; ')}; ${tf.memory().numTensors} at the end`,
  );
  console.log('ratio S/T = Strata median / TF.js Layers median: below 1 Strata is faster, above 1 slower.');
  tf.dispose([labels, flat, images, ...yBatches]);
}

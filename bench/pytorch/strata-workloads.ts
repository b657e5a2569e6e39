/**
 * Strata's side of bench/pytorch, run by bench.ts in a fresh process per thread count (the WASM
 * backend's threads are fixed when it starts; bench.ts sets `STRATA_THREADS`). For each workload
 * named on the command line: the median ms per training step, the batch size and the kernel calls
 * per step; it checks that the tensor count stays flat. Prints one JSON line.
 *
 *   STRATA_THREADS=2 node --conditions=strata-source --import tsx bench/pytorch/strata-workloads.ts A C
 */
import { Input, Sequential, backendSummary, backendThreads, layers, tf } from '../../packages/core/src/index.js';
import { buildConvnet } from '../../examples/mnist-convnet/model.js';
import { buildMlp } from '../../examples/mnist-mlp/model.js';
import { WORKLOADS, type Workload } from './workloads.js';

const STEPS = 10;
const WARMUP = 3;

/** One workload's result in one process. */
export interface StrataResult {
  ms: number;
  kernels: number;
  batch: number;
}

/** What a run of this file prints. */
export interface StrataRun {
  backend: string;
  threads: number;
  results: Partial<Record<Workload, StrataResult>>;
  peakRssMb: number;
}

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
  const labels = tf.tidy(() => tf.cast(tf.oneHot(tf.randomUniform([128], 0, 10, 'int32', 3), 10), 'float32'));
  // The examples' own builders (compiled as the Keras originals: Adam for A, RMSprop for C).
  if (workload === 'A') {
    return { model: buildConvnet(), x: tf.randomUniform([128, 28, 28, 1], 0, 1, 'float32', 4), y: labels, batch: 128 };
  }
  return { model: buildMlp(), x: tf.randomUniform([128, 784], 0, 1, 'float32', 5), y: labels, batch: 128 };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function strata(workload: Workload): Promise<StrataResult> {
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

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(WORKLOADS as readonly string[]).includes(name));
if (unknown.length > 0) throw new Error(`unknown workload(s) ${unknown.join(', ')}; valid: ${WORKLOADS.join(', ')}`);
const results: StrataRun['results'] = {};
for (const workload of asked as Workload[]) results[workload] = await strata(workload);
const run: StrataRun = {
  backend: backendSummary(),
  threads: backendThreads(),
  results,
  peakRssMb: process.resourceUsage().maxRSS / 1024,
};
console.log(JSON.stringify(run));

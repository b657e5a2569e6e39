/**
 * Experiment (not part of `pnpm bench`): why Strata's LSTM training step is slower than TF.js
 * Layers'. Times forward and backward of the benchmark's LSTM(32) for
 *   1. Strata's LSTMCell as it is (per-gate split of x·K, of h·R and of the bias, then 4 + 4 adds),
 *   2. the same Strata model with its cell's `step` replaced, on this instance only, by a step that
 *      computes z = x·K + h·R + b once and splits z once (what TF.js Layers does),
 *   3. TF.js Layers,
 * with the same weights, and counts the kernels of one forward+backward (tf.profile).
 *
 *   node --conditions=strata-source --import tsx bench/training/lstm-gates-experiment.ts [--backend cpu]
 */
import { performance } from 'node:perf_hooks';
import { initBackend, layers, tf } from '../../packages/core/src/index.js';
import type { StepResult } from '../../packages/core/src/layers/rnn/rnn-cell.js';
import { buildPair } from './models.js';
import { median } from './timing.js';

const backendIndex = process.argv.indexOf('--backend');
process.env['STRATA_BACKEND'] = backendIndex >= 0 ? process.argv[backendIndex + 1] : 'wasm';
console.log(`backend: ${await initBackend()}`);
const ROUNDS = 14;
const pair = buildPair('lstm', { timesteps: 50, features: 16 });
const x = tf.randomNormal([32, 50, 16], 0, 1, 'float32', 1);
const y = tf.randomNormal([32, 1], 0, 1, 'float32', 2);
const lstm = pair.strata.layers.find((l): l is InstanceType<typeof layers.LSTM> => l instanceof layers.LSTM)!;
const cell = lstm.cell;
const strataStep = cell.step;

/** One projection for all gates, one bias add, one split (Keras's sigmoid / tanh activations). */
function fusedGatesStep(input: tf.Tensor, states: tf.Tensor[]): StepResult {
  const [hPrev, cPrev] = states as [tf.Tensor, tf.Tensor];
  const z = tf.add(
    tf.add(tf.matMul(input, cell.kernel!.value), tf.matMul(hPrev, cell.recurrentKernel!.value)),
    cell.bias!.value,
  );
  const [zi, zf, zc, zo] = tf.split(z, 4, 1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
  const c = tf.add(tf.mul(tf.sigmoid(zf), cPrev), tf.mul(tf.sigmoid(zi), tf.tanh(zc)));
  const h = tf.mul(tf.sigmoid(zo), tf.tanh(c));
  return { output: h, states: [h, c] };
}

interface Variant {
  forward: (t: tf.Tensor) => tf.Tensor;
  variables: tf.Variable[];
  step?: typeof strataStep;
}
const strataVariables = pair.strata.trainableWeights.map((w) => w.value);
const strataForward = (t: tf.Tensor): tf.Tensor => pair.strata.invoke(t, { training: true, mask: null }) as tf.Tensor;
const variants: Record<string, Variant> = {
  'Strata LSTMCell as is': { forward: strataForward, variables: strataVariables, step: strataStep },
  'Strata, fused-gates step': { forward: strataForward, variables: strataVariables, step: fusedGatesStep },
  'TF.js Layers': {
    forward: (t) => pair.tfjs.apply(t, { training: true }) as tf.Tensor,
    variables: pair.tfjs.trainableWeights.map((w) => w.read() as tf.Variable),
  },
};

const results = new Map<string, { forward: number[]; both: number[]; kernels: number; output: number }>();
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, variant] of Object.entries(variants)) {
    if (variant.step !== undefined) cell.step = variant.step;
    const loss = (): tf.Scalar => tf.mean(tf.square(tf.sub(variant.forward(x), y)));
    const entry = results.get(name) ?? { forward: [], both: [], kernels: 0, output: 0 };
    let start = performance.now();
    entry.output = tf.tidy(() => loss().dataSync()[0]!);
    entry.forward.push(performance.now() - start);
    start = performance.now();
    const { value, grads } = tf.variableGrads(loss, variant.variables);
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
    entry.both.push(performance.now() - start);
    if (round === 0) {
      const info = await tf.profile(() => {
        const g = tf.variableGrads(loss, variant.variables);
        tf.dispose([g.value, ...Object.values(g.grads)]);
      });
      entry.kernels = info.kernels.length;
    }
    results.set(name, entry);
  }
}
cell.step = strataStep;
console.log(`median of ${ROUNDS - 2} rounds (2 warm-up), batch 32 × T 50 × F 16, LSTM(32) → Dense(1), MSE`);
for (const [name, r] of results) {
  const forward = median(r.forward.slice(2));
  const both = median(r.both.slice(2));
  console.log(
    `  ${name.padEnd(26)} forward ${forward.toFixed(1).padStart(6)} ms  backward ${(both - forward).toFixed(1).padStart(6)} ms  ` +
      `kernels/fwd+bwd ${String(r.kernels).padStart(5)}  loss ${r.output.toFixed(6)}`,
  );
}
tf.dispose([x, y]);
pair.strata.dispose();
pair.tfjs.dispose();

/**
 * `--profile`: where a training step's time goes, for both libraries on the same batch.
 * Splits a step into forward (training mode) + loss, backward (gradient of that loss) and the
 * optimizer update, using the SAME hand-written loss for both libraries so that only the models
 * and optimizers differ; then counts the kernels one such step dispatches (`tf.profile`).
 */
import { performance } from 'node:perf_hooks';
import type * as tfl from '@tensorflow/tfjs-layers';
import { tf } from '../../packages/core/src/index.js';
import type { ModelPair } from './models.js';
import { median } from './timing.js';

/** How one library runs the pieces of a training step. */
interface Library {
  label: string;
  forward: (x: tf.Tensor) => tf.Tensor;
  variables: () => tf.Variable[];
  applyGradients: (grads: Record<string, tf.Tensor>, variables: tf.Variable[]) => void;
}

function libraries(pair: ModelPair): Library[] {
  return [
    {
      label: 'Strata',
      forward: (x) => pair.strata.invoke(x, { training: true, mask: null }) as tf.Tensor,
      variables: () => pair.strata.trainableWeights.map((w) => w.value),
      applyGradients: (grads, variables) =>
        pair.strata.optimizer.applyGradients(variables.map((v) => [grads[v.name]!, v])),
    },
    {
      label: 'TF.js Layers',
      forward: (x) => pair.tfjs.apply(x, { training: true }) as tf.Tensor,
      variables: () => pair.tfjs.trainableWeights.map((w: tfl.LayerVariable) => w.read() as tf.Variable),
      applyGradients: (grads) => (pair.tfjs.optimizer as tf.Optimizer).applyGradients(grads),
    },
  ];
}

function lossOf(pair: ModelPair, y: tf.Tensor, prediction: tf.Tensor): tf.Scalar {
  if (pair.loss === 'mean_squared_error') return tf.mean(tf.square(tf.sub(prediction, y)));
  const clipped = tf.clipByValue(prediction, 1e-7, 1 - 1e-7);
  return tf.mean(tf.neg(tf.sum(tf.mul(y, tf.log(clipped)), -1)));
}

function timeMs(action: () => void, repeats: number): number {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    action();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** Phase medians (ms) and the kernels of one step for one library. */
interface PhaseProfile {
  forwardMs: number;
  backwardMs: number;
  optimizerMs: number;
  kernelCount: number;
  topKernels: { name: string; count: number; ms: number }[];
}

async function profileLibrary(
  pair: ModelPair,
  library: Library,
  x: tf.Tensor,
  y: tf.Tensor,
  repeats: number,
): Promise<PhaseProfile> {
  const variables = library.variables();
  const loss = (): tf.Scalar => lossOf(pair, y, library.forward(x));
  const forwardMs = timeMs(() => tf.tidy(() => loss().dataSync()), repeats);
  const gradientMs = timeMs(() => {
    const { value, grads } = tf.variableGrads(loss, variables);
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  }, repeats);
  const { value, grads } = tf.variableGrads(loss, variables);
  const optimizerMs = timeMs(() => {
    library.applyGradients(grads, variables);
    variables[0]!.dataSync();
  }, repeats);
  tf.dispose([value, ...Object.values(grads)]);

  const info = await tf.profile(() => {
    const step = tf.variableGrads(loss, variables);
    library.applyGradients(step.grads, variables);
    tf.dispose([step.value, ...Object.values(step.grads)]);
  });
  const byName = new Map<string, { count: number; ms: number }>();
  for (const kernel of info.kernels) {
    const entry = byName.get(kernel.name) ?? { count: 0, ms: 0 };
    entry.count += 1;
    entry.ms += typeof kernel.kernelTimeMs === 'number' ? kernel.kernelTimeMs : 0;
    byName.set(kernel.name, entry);
  }
  const topKernels = [...byName.entries()]
    .map(([name, entry]) => ({ name, ...entry }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 8);
  return { forwardMs, backwardMs: gradientMs - forwardMs, optimizerMs, kernelCount: info.kernels.length, topKernels };
}

/** Prints the phase split and the busiest kernels of one training step of each library. */
export async function printProfile(
  title: string,
  pair: ModelPair,
  x: tf.Tensor,
  y: tf.Tensor,
  repeats: number,
): Promise<void> {
  console.log(
    `\nProfile: ${title} (median of ${repeats}; same hand-written loss for both; optimizer updates really applied)`,
  );
  const profiles: [string, PhaseProfile][] = [];
  for (const library of libraries(pair))
    profiles.push([library.label, await profileLibrary(pair, library, x, y, repeats)]);
  const f = (ms: number): string => ms.toFixed(1).padStart(8);
  console.log(
    `  ${'library'.padEnd(14)} ${'forward'.padStart(8)} ${'backward'.padStart(8)} ${'optimizer'.padStart(9)}  kernels/step`,
  );
  for (const [label, p] of profiles) {
    console.log(
      `  ${label.padEnd(14)} ${f(p.forwardMs)} ${f(p.backwardMs)} ${f(p.optimizerMs).padStart(9)}  ${p.kernelCount}`,
    );
  }
  for (const [label, p] of profiles) {
    const list = p.topKernels.map((k) => `${k.name}×${k.count} ${k.ms.toFixed(1)}ms`).join(', ');
    console.log(`  ${label} busiest kernels (profiled step, total kernel ms): ${list}`);
  }
}

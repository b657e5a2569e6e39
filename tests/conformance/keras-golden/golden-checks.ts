/**
 * The two checks every golden model file goes through (used for the shared goldens and for the
 * `keras.ops` goldens committed in ./ops):
 *  - {@link checkPrediction}: Strata's `loadModel` + `predict` on the stored inputs reproduces
 *    Keras's outputs within the case's `tolerance_abs` (max abs diff), without leaking tensors;
 *  - {@link checkSavedLayout}: what Strata saves as `.keras` has the weights layout of Keras's own
 *    `model.keras` for the case and a config that agrees (./config-structure.ts), and reloads to
 *    the same predictions.
 */
import { basename, join } from 'node:path';
import { loadModel, saveModel, tf } from '@strata/core';
import { expect } from 'vitest';
import { configDifferences } from './config-structure.js';
import { kerasConfigJson, kerasWeightsLayout } from './h5-layout.js';
import { goldenPath, maxAbsDiff, npyTensor, readNpy, type GoldenCase, type GoldenModelFile } from './manifest.js';

/** One (case, model file) pair of a manifest, with a test title. */
export interface GoldenRun {
  title: string;
  golden: GoldenCase;
  file: GoldenModelFile;
}

/** Every (case, file) pair of the cases. */
export function goldenRuns(cases: readonly GoldenCase[], suffix = ''): GoldenRun[] {
  return cases.flatMap((golden) =>
    golden.models.map((file) => ({
      title: `${golden.name} / ${basename(file.file)}${file.keras_reload_error ? ' (Keras cannot reload this file)' : ''}${suffix}`,
      golden,
      file,
    })),
  );
}

function predictAll(
  model: { predict(x: tf.Tensor | tf.Tensor[], args?: { batchSize?: number }): tf.Tensor | tf.Tensor[] },
  inputs: tf.Tensor[],
): tf.Tensor[] {
  const out = model.predict(inputs.length === 1 ? inputs[0]! : inputs, { batchSize: 1024 });
  return Array.isArray(out) ? out : [out];
}

/** Loads, predicts and compares with Keras's outputs; returns the max abs diff per output. */
export async function checkPrediction({ golden, file }: GoldenRun, root: string): Promise<number[]> {
  const before = tf.memory().numTensors;
  const model = await loadModel(goldenPath(file.file, root), { compile: false });
  const inputs = golden.inputs.map((x) => npyTensor(x.file, root));
  const outputs = predictAll(model, inputs);
  expect(outputs).toHaveLength(golden.outputs.length);
  const diffs = golden.outputs.map((y, i) => {
    const expected = readNpy(y.file, root);
    expect(outputs[i]!.shape).toEqual(expected.shape);
    return maxAbsDiff(outputs[i]!.dataSync(), expected.data);
  });
  console.log(
    `[keras-golden] ${golden.name} / ${basename(file.file)}: max abs diff ${diffs.map((d) => d.toExponential(2)).join(', ')} (tolerance ${golden.tolerance_abs})`,
  );
  tf.dispose([...inputs, ...outputs]);
  model.dispose();
  expect(tf.memory().numTensors).toBe(before);
  for (const d of diffs) expect(d).toBeLessThanOrEqual(golden.tolerance_abs);
  return diffs;
}

const withoutOptimizer = (lines: string[]): string[] => lines.filter((l) => !l.startsWith('optimizer/'));

/** Saves the loaded model as `.keras` in `dir` and compares it with Keras's `model.keras` of the case. */
export async function checkSavedLayout({ golden, file }: GoldenRun, root: string, dir: string): Promise<void> {
  const kerasFile = goldenPath(`${golden.dir}/model.keras`, root);
  const model = await loadModel(goldenPath(file.file, root), { compile: false });
  const out = join(dir, `${golden.name}-${basename(file.file).replace('.', '_')}.keras`);
  await saveModel(model, out);

  const ours = await kerasWeightsLayout(out);
  const theirs = await kerasWeightsLayout(kerasFile);
  // Keras writes `optimizer/` for a model saved after training; Strata loads without optimizer state.
  const hasOptimizer = ours.some((l) => l.startsWith('optimizer/'));
  expect(hasOptimizer ? ours : withoutOptimizer(ours)).toEqual(hasOptimizer ? theirs : withoutOptimizer(theirs));
  expect(configDifferences(kerasConfigJson(out) as never, kerasConfigJson(kerasFile) as never)).toEqual([]);

  const inputs = golden.inputs.map((x) => npyTensor(x.file, root));
  const reloaded = await loadModel(out, { compile: false });
  const a = predictAll(model, inputs);
  const b = predictAll(reloaded, inputs);
  a.forEach((t, i) => expect(Array.from(b[i]!.dataSync())).toEqual(Array.from(t.dataSync())));
  tf.dispose([...inputs, ...a, ...b]);
  model.dispose();
  reloaded.dispose();
}

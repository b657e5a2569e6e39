/**
 * Keras conformance, forward direction: every model file of every case in
 * `../shared/keras3-golden/manifest.json` (`.keras` and legacy `.h5`, including the `.h5` files
 * Keras itself fails to reload) is loaded with Strata's `loadModel`, run on the stored inputs, and
 * compared with the outputs Keras 3 computed: max abs diff ≤ the case's `tolerance_abs`.
 */
import { basename } from 'node:path';
import { loadModel, tf } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { HAVE_GOLDENS, SKIP_REASON, goldenPath, maxAbsDiff, npyTensor, readManifest, readNpy } from './manifest.js';

const manifest = readManifest();
if (!HAVE_GOLDENS) console.warn(SKIP_REASON);

const runs = manifest.cases.flatMap((c) =>
  c.models.map((m) => ({
    title: `${c.name} / ${basename(m.file)}${m.keras_reload_error ? ' (Keras cannot reload this file)' : ''}`,
    golden: c,
    model: m,
  })),
);

describe.skipIf(!HAVE_GOLDENS)(`Keras 3 goldens: Strata predicts what Keras predicted${HAVE_GOLDENS ? '' : ' — SKIPPED, ../shared/keras3-golden absent'}`, () => {
  it('the manifest lists cases', () => {
    expect(runs.length).toBeGreaterThan(0);
  });

  it.each(runs)('$title', async ({ golden, model: file }) => {
    const before = tf.memory().numTensors;
    const model = await loadModel(goldenPath(file.file), { compile: false });
    const inputs = golden.inputs.map((x) => npyTensor(x.file));
    const predicted = model.predict(inputs.length === 1 ? inputs[0]! : inputs, { batchSize: 1024 });
    const outputs = Array.isArray(predicted) ? predicted : [predicted];
    expect(outputs).toHaveLength(golden.outputs.length);
    const diffs = golden.outputs.map((y, i) => {
      const expected = readNpy(y.file);
      expect(outputs[i]!.shape).toEqual(expected.shape);
      return maxAbsDiff(outputs[i]!.dataSync(), expected.data);
    });
    console.log(`[keras-golden] ${golden.name} / ${basename(file.file)}: max abs diff ${diffs.map((d) => d.toExponential(2)).join(', ')} (tolerance ${golden.tolerance_abs})`);
    tf.dispose([...inputs, ...outputs]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    for (const d of diffs) expect(d).toBeLessThanOrEqual(golden.tolerance_abs);
  });
});

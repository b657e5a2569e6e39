/**
 * The code of porting-from-keras.md. Every `// #region` below appears verbatim in the guide, and
 * docs/guides/guides.test.ts type-checks this file and runs `main()` on tiny data.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// #region imports
import { Input, Sequential, callbacks, layers, loadModel, setRandomSeed, tf, utils } from '@strata/core';
// #endregion imports

/** Ports a small Keras script, trains it briefly, saves and reloads it; returns what the test checks. */
export async function main(): Promise<{ epochsRun: number; sameAfterReload: boolean; evaluated: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-guide-'));
  try {
    // #region model
    setRandomSeed(42); // keras.utils.set_random_seed(42)
    const model = new Sequential([
      Input([8, 8, 1]),
      new layers.Conv2D(4, { kernelSize: 3, activation: 'relu', padding: 'same' }),
      new layers.MaxPooling2D({ poolSize: 2 }),
      new layers.Flatten(),
      new layers.Dropout(0.5),
      new layers.Dense(3, { activation: 'softmax', kernelInitializer: 'glorot_uniform' }),
    ]);
    // #endregion model

    // #region fit
    const x = tf.randomNormal([40, 8, 8, 1]);
    const y = utils.toCategorical(tf.randomUniform([40], 0, 3, 'int32'), 3);
    model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    const history = await model.fit(x, y, {
      batchSize: 8,
      epochs: 3,
      validationSplit: 0.2,
      callbacks: [new callbacks.EarlyStopping({ monitor: 'val_loss', patience: 2, restoreBestWeights: true })],
      verbose: 0,
    });
    console.log(history.history['val_loss']);
    const [loss, accuracy] = (await model.evaluate(x, y, { batchSize: 8, verbose: 0 })) as number[];
    console.log({ loss, accuracy });
    // #endregion fit

    // #region save-load
    await model.save(join(dir, 'model.keras')); // Keras 3 reads this file: keras.saving.load_model
    const restored = await loadModel(join(dir, 'model.keras')); // compiled as saved
    const before = model.predict(x, { verbose: 0 }) as tf.Tensor;
    const after = restored.predict(x, { verbose: 0 }) as tf.Tensor;
    console.log(tf.max(tf.abs(tf.sub(before, after))).dataSync()[0]); // 0
    // #endregion save-load
    const sameAfterReload = tf.tidy(() => tf.max(tf.abs(tf.sub(before, after))).dataSync()[0]!) === 0;
    tf.dispose([x, y, before, after]);
    model.dispose();
    restored.dispose();
    return {
      epochsRun: history.epoch.length,
      sameAfterReload,
      evaluated: [loss!, accuracy!].map(Number.isFinite).map(Number),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Loads the older formats the guide shows (the test passes real files when ../shared is present). */
export async function loadOlderFormats(h5Path: string, tfjsPath: string): Promise<string[]> {
  // #region load-older
  const fromKeras2 = await loadModel(h5Path); // Keras 2 / tf.keras 2 .h5 (model + weights)
  const fromTfjs = await loadModel(tfjsPath); // TF.js Layers model.json with its .bin shards beside it
  const architectureOnly = await loadModel(tfjsPath, { weights: false, compile: false });
  fromKeras2.summary();
  // #endregion load-older
  const names = [fromKeras2, fromTfjs, architectureOnly].map((m) => m.name);
  for (const m of [fromKeras2, fromTfjs, architectureOnly]) m.dispose();
  return names;
}

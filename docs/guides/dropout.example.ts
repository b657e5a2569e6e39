/**
 * The code of dropout.md. Every `// #region` below appears verbatim in the guide, and
 * docs/guides/guides.test.ts type-checks this file and runs `main()` on tiny data.
 */
// #region imports
import { Input, Model, Sequential, layers, tf } from '@strata/core';
import {
  DropBlock2D,
  DropoutScheduler,
  StochasticDepth,
  applyDropoutPolicy,
  createDropoutLayer,
  mcPredict,
  parseDropoutConfig,
  type DropoutConfig,
} from '@strata/dropout';
// #endregion imports

/** Runs every snippet of the guide; returns what the test checks. */
export async function main(): Promise<{
  configClass: string;
  inserted: string[];
  mcShapes: number[][];
  scheduledRates: number[];
  residualParams: number;
}> {
  // #region config
  // A DropoutConfig is plain JSON: store it in a hyper-parameter file, validate it on the way in.
  const config: DropoutConfig = parseDropoutConfig('{"kind": "spatial", "rate": 0.1}');
  const layer = createDropoutLayer(config, { inputRank: 4 }); // SpatialDropout2D(0.1) for 4-D maps
  console.log(layer.className);
  // parseDropoutConfig({ kind: 'standard', rate: 1.5 }) throws:
  //   DropoutConfig config.rate: invalid value 1.5; expected a number between 0 and 1
  // #endregion config

  // #region policy
  const plain = new Sequential([
    Input([12]),
    new layers.Dense(16, { activation: 'relu' }),
    new layers.Dense(16, { activation: 'relu' }),
    new layers.Dense(2, { activation: 'softmax' }),
  ]);
  // Adds Dropout(0.3) after each hidden Dense (never after the output layer); returns a new
  // model with the weights carried over. It works the same on a model from loadModel().
  const regularised = applyDropoutPolicy(plain, { afterDense: { kind: 'standard', rate: 0.3, seed: 7 } });
  console.log(regularised.layers.map((l) => l.className)); // Dense, Dropout, Dense, Dropout, Dense
  // #endregion policy
  const inserted = regularised.layers.map((l) => l.className);

  // #region schedule
  const x = tf.randomNormal([32, 12]);
  const y = tf.oneHot(tf.randomUniform([32], 0, 2, 'int32'), 2);
  regularised.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
  // Ramp every dropout rate from 0 to 0.3 over the epochs; the rate is logged as `dropout_rate`.
  const history = await regularised.fit(x, y, {
    epochs: 3,
    batchSize: 16,
    verbose: 0,
    callbacks: [new DropoutScheduler({ schedule: 'linear', from: 0, to: 0.3 })],
  });
  console.log(history.history['dropout_rate']); // [0, 0.15, 0.3]
  // #endregion schedule
  const scheduledRates = history.history['dropout_rate'] ?? [];

  // #region mc
  // Monte-Carlo dropout: 20 passes with only the dropout layers active.
  const { mean, std, entropy } = mcPredict(regularised, x.slice(0, 4), { samples: 20, seed: 1 });
  console.log(mean.shape, std.shape, entropy?.shape); // [4, 2] [4, 2] [4]
  // #endregion mc
  const mcShapes = [mean.shape, std.shape, entropy?.shape ?? []];
  tf.dispose([mean, std, ...(entropy ? [entropy] : []), x, y]);

  // #region residual
  const image = Input([16, 16, 8]);
  let branch = new layers.Conv2D(8, { kernelSize: 3, padding: 'same', activation: 'relu' }).apply(image);
  branch = new DropBlock2D(0.1, { blockSize: 3 }).apply(branch); // drop 3×3 squares of each map
  branch = new layers.Conv2D(8, { kernelSize: 3, padding: 'same' }).apply(branch);
  branch = new StochasticDepth(0.2).apply(branch); // drop the whole branch for some samples
  const block = new layers.Add().apply([image, branch]); // ... so the identity carries them
  const residual = new Model(image, new layers.GlobalAveragePooling2D().apply(block));
  // #endregion residual
  const residualParams = residual.countParams();

  plain.dispose();
  regularised.dispose();
  residual.dispose();
  return { configClass: layer.className, inserted, mcShapes, scheduledRates, residualParams };
}

/**
 * The code of functional-api.md. Every `// #region` below appears verbatim in the guide, and
 * docs/guides/guides.test.ts type-checks this file and runs `main()` on tiny data.
 */
// #region imports
import { Input, Model, layers, tf } from '@strata/core';
// #endregion imports

/** Builds, trains and uses the models of the guide; returns what the test checks. */
export async function main(): Promise<{ outputShape: number[]; twoHeads: number; sharedWeights: number }> {
  // #region first-model
  const inputs = Input([16], { name: 'features' });
  let x = new layers.Dense(32, { activation: 'relu' }).apply(inputs);
  x = new layers.Dropout(0.2).apply(x);
  const outputs = new layers.Dense(3, { activation: 'softmax' }).apply(x);
  const model = new Model(inputs, outputs, { name: 'classifier' });
  model.summary();
  // #endregion first-model

  // #region train
  const xTrain = tf.randomNormal([64, 16]);
  const yTrain = tf.oneHot(tf.randomUniform([64], 0, 3, 'int32'), 3);
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  await model.fit(xTrain, yTrain, { batchSize: 16, epochs: 2, validationSplit: 0.25, verbose: 0 });
  const probabilities = model.predict(xTrain.slice(0, 4), { verbose: 0 }) as tf.Tensor;
  console.log(probabilities.shape); // [4, 3]
  // #endregion train
  const outputShape = probabilities.shape;

  // #region multi-io
  const title = Input([10], { name: 'title' });
  const body = Input([20], { name: 'body' });
  const merged = new layers.Concatenate().apply([
    new layers.Dense(8, { activation: 'relu' }).apply(title),
    new layers.Dense(8, { activation: 'relu' }).apply(body),
  ]);
  const priority = new layers.Dense(1, { activation: 'sigmoid', name: 'priority' }).apply(merged);
  const department = new layers.Dense(4, { activation: 'softmax', name: 'department' }).apply(merged);
  const ticketModel = new Model([title, body], [priority, department]);
  ticketModel.compile({
    optimizer: 'rmsprop',
    loss: { priority: 'binary_crossentropy', department: 'categorical_crossentropy' },
    lossWeights: { priority: 1.0, department: 0.2 },
  });
  const [titles, bodies] = [tf.randomNormal([8, 10]), tf.randomNormal([8, 20])];
  const targets = [tf.round(tf.randomUniform([8, 1])), tf.oneHot(tf.randomUniform([8], 0, 4, 'int32'), 4)];
  await ticketModel.fit([titles, bodies], targets, { epochs: 1, verbose: 0 });
  const [p, d] = ticketModel.predict([titles, bodies], { verbose: 0 }) as tf.Tensor[];
  // #endregion multi-io
  const twoHeads = [p!, d!].length;

  // #region shared
  // One layer applied twice shares its weights (a Siamese encoder).
  const encoder = new layers.Dense(8, { activation: 'tanh', name: 'encoder' });
  const left = Input([5]);
  const right = Input([5]);
  const distance = new layers.Subtract().apply([encoder.apply(left), encoder.apply(right)]);
  const siamese = new Model([left, right], new layers.Dense(1).apply(distance));
  console.log(siamese.getLayer('encoder').countParams()); // 48: one kernel and bias for both calls
  // #endregion shared
  const sharedWeights = siamese.getLayer('encoder').countParams();

  // #region residual
  const image = Input([8, 8, 16]);
  const branch = new layers.Conv2D(16, { kernelSize: 3, padding: 'same', activation: 'relu' }).apply(image);
  const block = new layers.Add().apply([image, branch]); // the shortcut: same shape in and out
  const pooled = new layers.GlobalAveragePooling2D().apply(block);
  const resnetLike = new Model(image, new layers.Dense(10, { activation: 'softmax' }).apply(pooled));
  // #endregion residual

  // #region nested
  // A model is a layer too: call it on new inputs to reuse it (with its weights) inside another model.
  const features = Input([16]);
  const ensemble = new layers.Average().apply([model.apply(features), model.apply(features)]);
  const wrapper = new Model(features, ensemble);
  // #endregion nested

  tf.dispose([xTrain, yTrain, probabilities, titles!, bodies!, ...targets, p!, d!]);
  // `wrapper` holds `model`, so disposing it frees both.
  for (const m of [ticketModel, siamese, resnetLike, wrapper]) m.dispose();
  return { outputShape, twoHeads, sharedWeights };
}

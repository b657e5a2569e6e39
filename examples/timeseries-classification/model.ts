/**
 * The fully convolutional network of Keras's "Timeseries classification from scratch"
 * (keras.io/examples/timeseries/timeseries_classification_from_scratch) and its callbacks.
 */
import { Input, Model, callbacks, layers } from '@strata/core';

/** Three Conv1D(64, 3, same) → BatchNormalization → ReLU blocks, GlobalAveragePooling1D, Dense softmax. */
export function makeModel(inputShape: readonly (number | null)[], numClasses: number, filters = 64): Model {
  const inputLayer = Input([...inputShape]);

  let conv1 = new layers.Conv1D(filters, { kernelSize: 3, padding: 'same' }).apply(inputLayer);
  conv1 = new layers.BatchNormalization().apply(conv1);
  conv1 = new layers.ReLU().apply(conv1);

  let conv2 = new layers.Conv1D(filters, { kernelSize: 3, padding: 'same' }).apply(conv1);
  conv2 = new layers.BatchNormalization().apply(conv2);
  conv2 = new layers.ReLU().apply(conv2);

  let conv3 = new layers.Conv1D(filters, { kernelSize: 3, padding: 'same' }).apply(conv2);
  conv3 = new layers.BatchNormalization().apply(conv3);
  conv3 = new layers.ReLU().apply(conv3);

  const gap = new layers.GlobalAveragePooling1D().apply(conv3);

  const outputLayer = new layers.Dense(numClasses, { activation: 'softmax' }).apply(gap);

  return new Model(inputLayer, outputLayer);
}

/** Keras's three callbacks: keep the best model (by `val_loss`) in `checkpointPath`, halve the learning rate on plateaus, stop early. */
export function makeCallbacks(
  checkpointPath: string,
  patience = { reduceLr: 20, earlyStopping: 50 },
): callbacks.Callback[] {
  return [
    new callbacks.ModelCheckpoint(checkpointPath, { saveBestOnly: true, monitor: 'val_loss' }),
    new callbacks.ReduceLROnPlateau({ monitor: 'val_loss', factor: 0.5, patience: patience.reduceLr, minLr: 0.0001 }),
    new callbacks.EarlyStopping({ monitor: 'val_loss', patience: patience.earlyStopping, verbose: 1 }),
  ];
}

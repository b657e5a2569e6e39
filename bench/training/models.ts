/**
 * The benchmark's workloads, built twice: once with Strata and once with TF.js Layers, with the
 * same architecture, loss, optimizer and (copied) initial weights.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { Input, Sequential, layers, tf } from '../../packages/core/src/index.js';
import type { Model } from '../../packages/core/src/index.js';

/** A pair of equivalent models, both compiled. */
export interface ModelPair {
  strata: Model;
  tfjs: tfl.LayersModel;
  /** Keras-style loss name (the same loss is compiled into both models). */
  loss: 'categorical_crossentropy' | 'mean_squared_error';
}

/** The workloads of the benchmark. */
export type WorkloadName = 'mlp' | 'convnet' | 'lstm';

/** MLP of the Keras "mnist_mlp" example: 784→512 relu→Dropout→512 relu→Dropout→10 softmax, RMSprop. */
function strataMlp(): Model {
  return new Sequential([
    Input([784]),
    new layers.Dense(512, { activation: 'relu' }),
    new layers.Dropout(0.2),
    new layers.Dense(512, { activation: 'relu' }),
    new layers.Dropout(0.2),
    new layers.Dense(10, { activation: 'softmax' }),
  ]);
}

/** The TF.js Layers twin of the MLP (uncompiled). */
export function tfjsMlp(): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [784], units: 512, activation: 'relu' }),
      tfl.layers.dropout({ rate: 0.2 }),
      tfl.layers.dense({ units: 512, activation: 'relu' }),
      tfl.layers.dropout({ rate: 0.2 }),
      tfl.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

/** The Keras "Simple MNIST convnet", Adam. */
function strataConvnet(): Model {
  return new Sequential([
    Input([28, 28, 1]),
    new layers.Conv2D(32, { kernelSize: [3, 3], activation: 'relu' }),
    new layers.MaxPooling2D([2, 2]),
    new layers.Conv2D(64, { kernelSize: [3, 3], activation: 'relu' }),
    new layers.MaxPooling2D([2, 2]),
    new layers.Flatten(),
    new layers.Dropout(0.5),
    new layers.Dense(10, { activation: 'softmax' }),
  ]);
}

/** The TF.js Layers twin of the convnet (uncompiled). */
export function tfjsConvnet(): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: [3, 3], activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: [2, 2] }),
      tfl.layers.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: [2, 2] }),
      tfl.layers.flatten(),
      tfl.layers.dropout({ rate: 0.5 }),
      tfl.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

/** LSTM(32) over (T=50, F=16) with a Dense(1) regression head, Adam, MSE. */
function strataLstm(timesteps: number, features: number): Model {
  return new Sequential([Input([timesteps, features]), new layers.LSTM(32), new layers.Dense(1)]);
}

function tfjsLstm(timesteps: number, features: number): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      // TF.js Layers defaults to a hard sigmoid for the gates; Keras 3 (and Strata) use the sigmoid.
      // Its orthogonal initializer needs tfjs-core's chained ops (`tensor.flatten()`), which only the
      // @tensorflow/tfjs umbrella registers; the initial values are replaced by Strata's anyway.
      tfl.layers.lstm({
        inputShape: [timesteps, features],
        units: 32,
        recurrentActivation: 'sigmoid',
        recurrentInitializer: 'glorotUniform',
      }),
      tfl.layers.dense({ units: 1 }),
    ],
  });
}

/** Copies Strata's initial weights into the TF.js Layers model (same Keras weight order). */
function copyWeights(from: Model, to: tfl.LayersModel): void {
  const values = from.getWeights();
  const expected = to.weights.map((w) => w.shape.join('x'));
  const actual = values.map((v) => v.shape.join('x'));
  if (expected.join(',') !== actual.join(',')) {
    tf.dispose(values);
    throw new Error(`weight shapes differ: TF.js Layers [${expected.join(', ')}], Strata [${actual.join(', ')}]`);
  }
  to.setWeights(values);
  tf.dispose(values);
}

/** Builds, compiles and aligns the two models of a workload. */
export function buildPair(name: WorkloadName, lstmShape: { timesteps: number; features: number }): ModelPair {
  const specs = {
    mlp: {
      strata: strataMlp,
      tfjs: tfjsMlp,
      optimizer: 'rmsprop',
      loss: 'categorical_crossentropy',
      metrics: ['accuracy'],
    },
    convnet: {
      strata: strataConvnet,
      tfjs: tfjsConvnet,
      optimizer: 'adam',
      loss: 'categorical_crossentropy',
      metrics: ['accuracy'],
    },
    lstm: {
      strata: () => strataLstm(lstmShape.timesteps, lstmShape.features),
      tfjs: () => tfjsLstm(lstmShape.timesteps, lstmShape.features),
      optimizer: 'adam',
      loss: 'mean_squared_error',
      metrics: [],
    },
  } as const;
  const spec = specs[name];
  const strata = spec.strata();
  strata.compile({ loss: spec.loss, optimizer: spec.optimizer, metrics: [...spec.metrics] });
  const tfjs = spec.tfjs();
  // TF.js Layers names its losses in camelCase; the optimizers are the same Keras defaults
  // (learning rate 0.001; RMSprop rho 0.9; Adam betas 0.9 / 0.999).
  const tfjsLoss = spec.loss === 'categorical_crossentropy' ? 'categoricalCrossentropy' : 'meanSquaredError';
  tfjs.compile({ loss: tfjsLoss, optimizer: spec.optimizer, metrics: [...spec.metrics] });
  copyWeights(strata, tfjs);
  return { strata, tfjs, loss: spec.loss };
}

/** Largest absolute difference between the two models' inference outputs on `x` (weights check). */
export function maxOutputDifference(pair: ModelPair, x: tf.Tensor): number {
  return tf.tidy(() => {
    const a = pair.strata.predictOnBatch(x) as tf.Tensor;
    const b = pair.tfjs.predictOnBatch(x) as tf.Tensor;
    return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;
  });
}

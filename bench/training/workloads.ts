/**
 * Issue 9's training workloads, built for Strata and for TF.js Layers with the same layers, loss,
 * optimizer and batch (torch_workloads.py builds them for PyTorch):
 *   A   Keras MNIST convnet (Conv2D 32 / MaxPool / Conv2D 64 / MaxPool / Flatten / Dropout .5 / Dense 10), Adam, batch 128
 *   A-predict  the same convnet's inference: predict(2,048 inputs, batchSize 256) read back, timed per batch of 256
 *   B   Embedding(20000, 128) → LSTM(64, dropout .2, recurrent_dropout .2) → Dense(1, sigmoid), Adam, batch 32 × 80 tokens
 *   B0  the same with recurrent_dropout 0
 *   C   MLP 784-512-512-10 with Dropout .2, RMSprop, batch 128
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { Input, Sequential, layers, tf } from '../../packages/core/src/index.js';
import { buildConvnet } from '../../examples/mnist-convnet/model.js';
import { buildMlp } from '../../examples/mnist-mlp/model.js';
import { tfjsConvnet, tfjsMlp } from './models.js';

/** The workloads, in the order they run. */
export const WORKLOADS = ['A', 'A-predict', 'B', 'B0', 'C'] as const;
/** One of issue 9's workloads. */
export type Workload = (typeof WORKLOADS)[number];

/** A-predict: inputs per `predict` call and its `batchSize`; its "step" is one batch of 256. */
export const PREDICT_SAMPLES = 2048;
export const PREDICT_BATCH = 256;

/** Samples one step (for A-predict: one predict batch) processes, for samples/s. */
export const SAMPLES_PER_STEP: Record<Workload, number> = { A: 128, 'A-predict': PREDICT_BATCH, B: 32, B0: 32, C: 128 };

/** Whether the workload is inference (`predict`) rather than training steps. */
export const isPredict = (workload: Workload): boolean => workload === 'A-predict';
const isConvnet = (workload: Workload): boolean => workload === 'A' || workload === 'A-predict';

/** What each workload is, for the table's legend. */
export const DESCRIPTIONS: Record<Workload, string> = {
  A: 'MNIST convnet, Adam, batch 128',
  'A-predict': `the MNIST convnet's predict(${PREDICT_SAMPLES} inputs, batchSize ${PREDICT_BATCH}) + dataSync, per batch of ${PREDICT_BATCH}`,
  B: 'Embedding → LSTM(64, dropout + recurrent dropout) → Dense, Adam, batch 32 × 80',
  B0: 'the same without recurrent dropout',
  C: 'MLP 784-512-512-10 with Dropout, RMSprop, batch 128',
};

const VOCAB = 20000;
const EMBED = 128;
const UNITS = 64;
const TIMESTEPS = 80;

/**
 * Multiply-add FLOPs (×2) of the matmuls and convolutions of one training step: forward, the
 * weight gradients, and the input gradients every layer but the first one needs. Element-wise
 * work (activations, optimizer) is left out: it is small next to these and not matmul-shaped.
 */
export const MATMUL_FLOPS_PER_STEP: Record<Workload, number> = {
  // conv1 26·26·32·9 MACs (forward + filter grad), conv2 11·11·64·288 and dense 1600·10 (forward + both grads).
  A: 128 * 2 * (26 * 26 * 32 * 9 * 2 + 11 * 11 * 64 * 288 * 3 + 1600 * 10 * 3),
  // Inference: the forward pass only, per batch of 256.
  'A-predict': PREDICT_BATCH * 2 * (26 * 26 * 32 * 9 + 11 * 11 * 64 * 288 + 1600 * 10),
  // Per token: x·K (128 × 256) and h·R (64 × 256), forward + both grads (the embedding needs dx).
  B: 32 * TIMESTEPS * 2 * (EMBED + UNITS) * 4 * UNITS * 3,
  B0: 32 * TIMESTEPS * 2 * (EMBED + UNITS) * 4 * UNITS * 3,
  // 784·512 (forward + weight grad), 512·512 and 512·10 (forward + both grads).
  C: 128 * 2 * (784 * 512 * 2 + (512 * 512 + 512 * 10) * 3),
};

/** One batch of a workload's data. */
export interface Batch {
  x: tf.Tensor;
  y: tf.Tensor;
  size: number;
}

/** A batch of the right shapes and dtypes (seeded random values: the speed does not depend on them). */
export function batchFor(workload: Workload): Batch {
  if (workload === 'B' || workload === 'B0') {
    const x = tf.randomUniform([32, TIMESTEPS], 0, VOCAB, 'int32', 1);
    const y = tf.tidy(() => tf.round(tf.randomUniform([32, 1], 0, 1, 'float32', 2)));
    return { x, y, size: 32 };
  }
  // A-predict: all PREDICT_SAMPLES inputs of one predict call (its y is not used).
  const size = isPredict(workload) ? PREDICT_SAMPLES : 128;
  const y = tf.tidy(() => tf.cast(tf.oneHot(tf.randomUniform([size], 0, 10, 'int32', 3), 10), 'float32'));
  const shape = isConvnet(workload) ? [size, 28, 28, 1] : [size, 784];
  return { x: tf.randomUniform(shape, 0, 1, 'float32', 4), y, size };
}

const recurrentDropout = (workload: Workload): number => (workload === 'B' ? 0.2 : 0);

/** The Strata model, compiled as its Keras original (A and C: the examples' own builders). */
export function strataModel(workload: Workload): Sequential {
  if (isConvnet(workload)) return buildConvnet();
  if (workload === 'C') return buildMlp();
  const model = new Sequential([
    Input([TIMESTEPS], null, 'int32'),
    new layers.Embedding(VOCAB, EMBED),
    new layers.LSTM(UNITS, { dropout: 0.2, recurrentDropout: recurrentDropout(workload) }),
    new layers.Dense(1, { activation: 'sigmoid' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
  return model;
}

/** The TF.js Layers model with the same layers, loss and optimizer (Keras defaults on both sides). */
export function tfjsModel(workload: Workload): tfl.LayersModel {
  let model: tfl.LayersModel;
  if (isConvnet(workload)) {
    model = tfjsConvnet();
  } else if (workload === 'C') {
    model = tfjsMlp();
  } else {
    model = tfl.sequential({
      layers: [
        tfl.layers.embedding({ inputDim: VOCAB, outputDim: EMBED, inputLength: TIMESTEPS }),
        // Keras 3's sigmoid gates (TF.js defaults to a hard sigmoid); TF.js's orthogonal initializer
        // needs the @tensorflow/tfjs umbrella's chained ops, and the initial values do not change the speed.
        tfl.layers.lstm({
          units: UNITS,
          dropout: 0.2,
          recurrentDropout: recurrentDropout(workload),
          recurrentActivation: 'sigmoid',
          recurrentInitializer: 'glorotUniform',
        }),
        tfl.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
  }
  const classifier = isConvnet(workload) || workload === 'C';
  const loss = classifier ? 'categoricalCrossentropy' : 'binaryCrossentropy';
  // A and C: accuracy as well, as the examples' builders compile Strata's models.
  const metrics = classifier ? ['accuracy'] : [];
  model.compile({ loss, optimizer: workload === 'C' ? 'rmsprop' : 'adam', metrics });
  return model;
}

/**
 * tf.keras 2 `training_config` (the `.h5` attribute) as tf.keras 2.4–2.15 writes it: loss objects
 * with `reduction: "auto"`, metrics as per-output lists of `MeanMetricWrapper` objects, optimizers
 * under their registered names (`Custom>Adam` since tf.keras 2.11, with `is_legacy_optimizer` and
 * `jit_compile`). The model must load compiled, as tf.keras compiled it — not with a warning.
 */
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Input } from '../engine/input-layer.js';
import { Sequential } from '../engine/sequential.js';
import { Dense } from '../layers/core/dense.js';
import { loadModel, restoreCompile } from './index.js';

/** tf.keras 2.13's training_config of `compile(Adam(), SparseCategoricalCrossentropy(from_logits=True), ['accuracy'])`. */
const tfKeras213 = {
  loss: {
    class_name: 'SparseCategoricalCrossentropy',
    config: { reduction: 'auto', name: 'sparse_categorical_crossentropy', from_logits: true, ignore_class: null },
  },
  metrics: [
    [
      {
        class_name: 'MeanMetricWrapper',
        config: { name: 'accuracy', dtype: 'float32', fn: 'sparse_categorical_accuracy' },
      },
    ],
  ],
  weighted_metrics: null,
  loss_weights: null,
  optimizer_config: {
    class_name: 'Custom>Adam',
    config: {
      name: 'Adam',
      weight_decay: null,
      clipnorm: null,
      global_clipnorm: null,
      clipvalue: null,
      use_ema: false,
      ema_momentum: 0.99,
      ema_overwrite_frequency: null,
      jit_compile: false,
      is_legacy_optimizer: false,
      learning_rate: 0.0010000000474974513,
      beta_1: 0.9,
      beta_2: 0.999,
      epsilon: 1e-7,
      amsgrad: false,
    },
  },
};

/** tf.keras 2.6's training_config of `compile(SGD(0.1, momentum=0.9), MeanSquaredError(), [MeanAbsoluteError()])`. */
const tfKeras26 = {
  loss: { class_name: 'MeanSquaredError', config: { reduction: 'auto', name: 'mean_squared_error' } },
  metrics: [[{ class_name: 'MeanAbsoluteError', config: { name: 'mean_absolute_error', dtype: 'float32' } }]],
  weighted_metrics: null,
  loss_weights: null,
  optimizer_config: {
    class_name: 'SGD',
    config: { name: 'SGD', learning_rate: 0.1, decay: 0.0, momentum: 0.9, nesterov: false },
  },
};

describe('tf.keras 2 training_config', () => {
  let warn: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('tf.keras ≥ 2.11: Custom>Adam, reduction "auto", MeanMetricWrapper metrics → compiled as written', async () => {
    const model = new Sequential([Input([4]), new Dense(3)]);
    expect(restoreCompile(model, tfKeras213)).toBe(true);
    expect(warn).not.toHaveBeenCalled();
    expect(model.optimizer.className).toBe('Adam');
    expect(model.optimizer.learningRate).toBeCloseTo(0.001, 9);
    const x = tf.tensor2d([
      [1, 2, 3, 4],
      [0, -1, 1, 0],
    ]);
    const y = tf.tensor1d([2, 0]);
    // reduction "auto" is sum_over_batch_size: the loss is the mean over the batch; metric named "accuracy".
    const logs = await model.evaluate(x, y, { returnDict: true, verbose: 0 });
    expect(Object.keys(logs).sort()).toEqual(['accuracy', 'loss']);
    const logits = model.predict(x) as tf.Tensor;
    const expectedLoss = tf.tidy(
      () =>
        tf.mean(tf.neg(tf.sum(tf.mul(tf.oneHot(tf.cast(y, 'int32'), 3), tf.logSoftmax(logits)), -1))).dataSync()[0]!,
    );
    expect(logs['loss']).toBeCloseTo(expectedLoss, 5);
    tf.dispose([x, y, logits]);
    model.dispose();
  });

  it('tf.keras 2.4–2.10: plain optimizer class with decay, loss and metric objects → compiled', () => {
    const model = new Sequential([Input([2]), new Dense(1)]);
    expect(restoreCompile(model, tfKeras26)).toBe(true);
    expect(warn).not.toHaveBeenCalled();
    expect(model.optimizer.className).toBe('SGD');
    expect(model.optimizer.getConfig()['momentum']).toBe(0.9);
    model.dispose();
  });

  it('a registered name of a real custom optimizer is still refused with a warning (never guessed)', () => {
    const model = new Sequential([Input([2]), new Dense(1)]);
    const custom = {
      ...tfKeras26,
      optimizer_config: { class_name: 'Custom>MyOptimizer', config: { name: 'MyOptimizer' } },
    };
    expect(restoreCompile(model, custom)).toBe(false);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/not compiled.*Custom>MyOptimizer/));
    model.dispose();
  });

  const realH5 = new URL('../../../../../shared/fixtures/real-models/dl4j_cnn2d_64.h5', import.meta.url);
  it.skipIf(!existsSync(realH5))(
    `a real tf.keras 2.2.4 .h5 (RMSprop with decay) loads compiled${existsSync(realH5) ? '' : ' — SKIPPED: ../shared/fixtures absent'}`,
    async () => {
      const model = await loadModel(realH5.pathname);
      expect(warn).not.toHaveBeenCalled();
      expect(model.compiled).toBe(true);
      expect(model.optimizer.className).toBe('RMSprop');
      model.dispose();
    },
  );
});

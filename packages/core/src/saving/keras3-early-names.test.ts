/**
 * Class names written by Keras 3.0–3.7 that later releases renamed or aliased, in configs as those
 * versions write them. Found by diffing each release's alias tables (keras/src/<family>/__init__.py,
 * v3.0.0 … v3.15.1): initializers `OrthogonalInitializer` (the class name until 3.7, so the default
 * `recurrent_initializer` of every LSTM/GRU saved by Keras 3.0–3.7), `IdentityInitializer` /
 * `OrthogonalInitializer` (aliases since 3.8); activations `hard_silu` and its alias `hard_swish`
 * (3.0.5+). Regularizers, constraints, losses, metrics and optimizers kept their 3.0 names; their
 * 3.0-era configs are checked here too, so a future rename shows up as a failure.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { getActivation } from '../activations/index.js';
import { getConstraint } from '../constraints/index.js';
import { getLoss } from '../losses/index.js';
import { getMetric } from '../metrics/index.js';
import { getOptimizer } from '../optimizers/index.js';
import { getRegularizer } from '../regularizers/index.js';
import { getInitializer, Identity, Orthogonal } from '../initializers/index.js';
import { decodeModelConfig, type JsonObject } from '@strata/graph';
import { modelFromIR, modelFromKerasJson } from './index.js';
import { kerasConfigOf } from './model-file.js';
import type { Functional } from '../engine/functional.js';

/** The dtype policy of Keras 3.2–3.4 (`FloatDTypePolicy`; 3.0–3.1 wrote a plain string). */
const dtype34 = { module: 'keras', class_name: 'FloatDTypePolicy', config: { name: 'float32' }, registered_name: null };
const init = (className: string, config: Record<string, unknown> = { seed: null }): Record<string, unknown> => ({
  module: 'keras.initializers',
  class_name: className,
  config,
  registered_name: null,
});

function sequential(layers: Record<string, unknown>[], inputShape: number[]): Record<string, unknown> {
  return {
    module: 'keras',
    class_name: 'Sequential',
    config: {
      name: 'sequential',
      trainable: true,
      dtype: dtype34,
      layers: [
        {
          module: 'keras.layers',
          class_name: 'InputLayer',
          config: { batch_shape: [null, ...inputShape], dtype: 'float32', sparse: false, name: 'input_layer' },
          registered_name: null,
        },
        ...layers,
      ],
    },
    registered_name: null,
    build_config: { input_shape: [null, ...inputShape] },
  };
}

/** An LSTM/GRU config as Keras 3.4's `get_config` writes it (defaults: orthogonal recurrent kernel). */
function recurrent34(
  className: 'LSTM' | 'GRU',
  name: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    module: 'keras.layers',
    class_name: className,
    config: {
      name,
      trainable: true,
      dtype: dtype34,
      return_sequences: false,
      return_state: false,
      go_backwards: false,
      stateful: false,
      unroll: false,
      zero_output_for_mask: false,
      units: 3,
      activation: 'tanh',
      recurrent_activation: 'sigmoid',
      use_bias: true,
      kernel_initializer: init('GlorotUniform'),
      recurrent_initializer: init('OrthogonalInitializer', { gain: 1.0, seed: null }),
      bias_initializer: init('Zeros', {}),
      kernel_regularizer: null,
      recurrent_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      recurrent_constraint: null,
      bias_constraint: null,
      dropout: 0.0,
      recurrent_dropout: 0.0,
      seed: null,
      ...extra,
    },
    registered_name: null,
    build_config: { input_shape: [null, 4, 2] },
  };
}

describe('class names of Keras 3.0–3.7 configs', () => {
  it('initializers: OrthogonalInitializer (Keras 3.0–3.7 LSTM/GRU default) loads as Orthogonal and saves under the current name', () => {
    const model = modelFromKerasJson(
      JSON.stringify(sequential([recurrent34('LSTM', 'lstm', { unit_forget_bias: true })], [4, 2])),
    );
    const saved = JSON.stringify(kerasConfigOf(model as Functional));
    expect(saved).toContain('"class_name":"Orthogonal"');
    expect(saved).not.toContain('OrthogonalInitializer');
    model.dispose();
    const gru = modelFromKerasJson(
      JSON.stringify(sequential([recurrent34('GRU', 'gru', { reset_after: true })], [4, 2])),
    );
    expect(JSON.stringify(kerasConfigOf(gru as Functional))).toContain('"class_name":"Orthogonal"');
    gru.dispose();
  });

  it('initializers: every spelling Keras 3.0–3.15 accepts resolves to the same class', () => {
    for (const name of ['OrthogonalInitializer', 'orthogonal_initializer', 'Orthogonal', 'orthogonal']) {
      expect(getInitializer({ className: name, config: { gain: 2 } })).toBeInstanceOf(Orthogonal);
    }
    for (const name of ['IdentityInitializer', 'Identity', 'identity']) {
      expect(getInitializer({ className: name, config: { gain: 1 } })).toBeInstanceOf(Identity);
    }
    // Own properties only: a name that is a property of every JS object is not a class.
    expect(() => getInitializer('constructor')).toThrow(/Unknown initializer "constructor"/);
    expect(() => getInitializer({ className: 'toString' })).toThrow(/Unknown initializer "toString"/);
  });

  it('activations: hard_silu and its alias hard_swish (Keras 3.0.5+) compute x · relu6(x + 3) / 6', () => {
    const dense = (activation: string): Record<string, unknown> => ({
      module: 'keras.layers',
      class_name: 'Dense',
      config: {
        name: `dense_${activation}`,
        trainable: true,
        dtype: dtype34,
        units: 2,
        activation,
        use_bias: true,
        kernel_initializer: init('Ones', {}),
        bias_initializer: init('Zeros', {}),
        kernel_regularizer: null,
        bias_regularizer: null,
        kernel_constraint: null,
        bias_constraint: null,
      },
      registered_name: null,
    });
    for (const activation of ['hard_silu', 'hard_swish']) {
      const model = modelFromKerasJson(JSON.stringify(sequential([dense(activation)], [1])));
      const x = tf.tensor2d([[-4], [-1.5], [0.5], [4]]);
      const y = model.predict(x) as tf.Tensor;
      const expected = [-4, -1.5, 0.5, 4].map((v) => (v * Math.min(Math.max(v + 3, 0), 6)) / 6);
      expect(Array.from(y.dataSync()).filter((_, i) => i % 2 === 0)).toEqual(expected.map((v) => expect.closeTo(v, 6)));
      tf.dispose([x, y]);
      model.dispose();
    }
    expect(() => getActivation('constructor')).toThrow(/Unknown activation "constructor"/);
  });

  it('regularizers, constraints, losses, metrics and optimizers: a Keras 3.0 compiled config loads and compiles', () => {
    const dense = {
      module: 'keras.layers',
      class_name: 'Dense',
      config: {
        name: 'dense',
        trainable: true,
        dtype: 'float32',
        units: 2,
        activation: 'linear',
        use_bias: true,
        kernel_initializer: init('GlorotUniform'),
        bias_initializer: init('Zeros', {}),
        kernel_regularizer: {
          module: 'keras.regularizers',
          class_name: 'L1L2',
          config: { l1: 0.0, l2: 0.01 },
          registered_name: null,
        },
        bias_regularizer: {
          module: 'keras.regularizers',
          class_name: 'L2',
          config: { l2: 0.02 },
          registered_name: null,
        },
        kernel_constraint: {
          module: 'keras.constraints',
          class_name: 'MaxNorm',
          config: { max_value: 2.0, axis: 0 },
          registered_name: null,
        },
        bias_constraint: { module: 'keras.constraints', class_name: 'NonNeg', config: {}, registered_name: null },
      },
      registered_name: null,
    };
    const config = {
      ...sequential([dense], [3]),
      // As Keras 3.0's Trainer.get_compile_config and Optimizer/Loss/Metric.get_config write it.
      compile_config: {
        optimizer: {
          module: 'keras.optimizers',
          class_name: 'Adam',
          registered_name: null,
          config: {
            name: 'adam',
            learning_rate: 0.002,
            weight_decay: null,
            clipnorm: null,
            global_clipnorm: null,
            clipvalue: null,
            use_ema: false,
            ema_momentum: 0.99,
            ema_overwrite_frequency: null,
            loss_scale_factor: null,
            beta_1: 0.9,
            beta_2: 0.999,
            epsilon: 1e-7,
            amsgrad: false,
          },
        },
        loss: {
          module: 'keras.losses',
          class_name: 'MeanSquaredError',
          config: { name: 'mean_squared_error', reduction: 'sum_over_batch_size' },
          registered_name: null,
        },
        metrics: [
          {
            module: 'keras.metrics',
            class_name: 'MeanAbsoluteError',
            config: { name: 'mean_absolute_error', dtype: 'float32' },
            registered_name: null,
          },
        ],
        loss_weights: null,
        weighted_metrics: null,
        run_eagerly: false,
        steps_per_execution: 1,
        jit_compile: false,
      },
    };
    const model = modelFromIR(decodeModelConfig(config as unknown as JsonObject).model);
    expect(model.compiled).toBe(true);
    expect(model.optimizer.className).toBe('Adam');
    const saved = JSON.stringify(kerasConfigOf(model as Functional));
    for (const name of ['"L1L2"', '"L2"', '"MaxNorm"', '"NonNeg"']) expect(saved).toContain(`"class_name":${name}`);
    model.dispose();
    // Own properties only, in every family.
    expect(() => getRegularizer('constructor')).toThrow(/Unknown regularizer "constructor"/);
    expect(() => getConstraint({ className: 'hasOwnProperty' })).toThrow(/Unknown constraint "hasOwnProperty"/);
    expect(() => getLoss('constructor')).toThrow(/Unknown loss "constructor"/);
    expect(() => getLoss({ className: 'toString' })).toThrow(/Unknown loss class "toString"/);
    expect(() => getMetric('constructor')).toThrow(/Unknown metric "constructor"/);
    expect(() => getOptimizer('constructor')).toThrow(/Unknown optimizer "constructor"/);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Model } from '../../engine/model.js';
import { clearSession } from '../../utils/naming.js';
import { Sequential } from '../../engine/sequential.js';
import { L2 } from '../../regularizers/index.js';
import { Dense } from './dense.js';
import { expectClose, expectConfigRoundTrip, expectNoLeaks } from './layer-test-kit.test-suite.js';

// Hand-computed: x·K + b with K = [[.1,.2],[.3,-.4],[.5,.6]], b = [.01, -1].
// Row [1, 2, 3]:    [.1+.6+1.5+.01, .2-.8+1.8-1] = [2.21, 0.2]
// Row [-1, .5, 2]:  [-.1+.15+1+.01, -.2-.2+1.2-1] = [1.06, -0.2]  (relu → 0)
const KERNEL = [
  [0.1, 0.2],
  [0.3, -0.4],
  [0.5, 0.6],
];
const BIAS = [0.01, -1];
const X = [
  [1, 2, 3],
  [-1, 0.5, 2],
];

function denseWithWeights(activation?: string): Dense {
  const layer = new Dense(2, { activation });
  layer.maybeBuild([null, 3]);
  const weights = [tf.tensor(KERNEL), tf.tensor(BIAS)];
  layer.setWeights(weights);
  tf.dispose(weights);
  return layer;
}

describe('Dense', () => {
  it('computes activation(x·kernel + bias) (hand-computed)', () => {
    const layer = denseWithWeights('relu');
    const x = tf.tensor(X);
    expectNoLeaks(() => {
      const y = layer.apply(x);
      expectClose(y, [
        [2.21, 0.2],
        [1.06, 0],
      ]);
      return y;
    });
    const linear = denseWithWeights();
    const y = linear.apply(x);
    expectClose(y, [
      [2.21, 0.2],
      [1.06, -0.2],
    ]);
    tf.dispose([x, y]);
    layer.dispose();
    linear.dispose();
  });

  it('acts on the last axis of rank-3 inputs', () => {
    const layer = denseWithWeights();
    const x = tf.tensor([
      X,
      [
        [0, 0, 0],
        [1, 0, 0],
      ],
    ]);
    const y = layer.apply(x);
    expectClose(y, [
      [
        [2.21, 0.2],
        [1.06, -0.2],
      ],
      [
        [0.01, -1],
        [0.11, -0.8],
      ],
    ]);
    expect(layer.apply(Input([4, 3])).shape).toEqual([null, 4, 2]);
    tf.dispose([x, y]);
    layer.dispose();
  });

  it('has Keras 3 defaults, weight names and get_config keys', () => {
    clearSession();
    const layer = new Dense(4);
    const config = layer.kerasConfig();
    expect(Object.keys(config)).toEqual([
      'name',
      'trainable',
      'dtype',
      'units',
      'activation',
      'use_bias',
      'kernel_initializer',
      'bias_initializer',
      'kernel_regularizer',
      'bias_regularizer',
      'kernel_constraint',
      'bias_constraint',
    ]);
    expect(config).toMatchObject({
      name: 'dense',
      units: 4,
      activation: 'linear',
      use_bias: true,
      kernel_initializer: {
        module: 'keras.initializers',
        class_name: 'GlorotUniform',
        config: { seed: null },
        registered_name: null,
      },
      bias_initializer: { class_name: 'Zeros', config: {} },
      kernel_regularizer: null,
      bias_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
    });
    layer.maybeBuild([null, 3]);
    expect(layer.weights.map((w) => [w.path, w.shape])).toEqual([
      ['dense/kernel', [3, 4]],
      ['dense/bias', [4]],
    ]);
    expect(layer.countParams()).toBe(16);
    const noBias = new Dense(2, { useBias: false });
    noBias.maybeBuild([null, 3]);
    expect(noBias.weights.map((w) => w.name)).toEqual(['kernel']);
    layer.dispose();
    noBias.dispose();
  });

  it('round-trips getConfig → fromConfig, with regularizers, constraints and activity regularizer', () => {
    const layer = new Dense(3, {
      activation: 'tanh',
      useBias: false,
      kernelInitializer: 'he_normal',
      kernelRegularizer: new L2(0.02),
      biasRegularizer: 'l1',
      kernelConstraint: { className: 'MaxNorm', config: { max_value: 2, axis: 0 } },
      biasConstraint: 'non_neg',
      activityRegularizer: 'l2',
    });
    const config = layer.kerasConfig();
    expect(config['activity_regularizer']).toMatchObject({ class_name: 'L2' });
    expect(config['kernel_regularizer']).toMatchObject({ class_name: 'L2', config: { l2: 0.02 } });
    const copy = expectConfigRoundTrip(layer) as Dense;
    expect(copy.units).toBe(3);
    expect(copy.useBias).toBe(false);
  });

  it('adds kernel regularization losses', () => {
    const layer = new Dense(2, { kernelRegularizer: new L2(0.5) });
    layer.maybeBuild([null, 3]);
    layer.setWeights([tf.ones([3, 2]), tf.zeros([2])]);
    const losses = layer.regularizationLosses();
    expect(losses).toHaveLength(1);
    expectClose(losses[0]!, 3); // 0.5 * 6 ones
    tf.dispose(losses);
    layer.dispose();
  });

  it('works in a functional Model and in Sequential', () => {
    const input = Input([3]);
    const hidden = new Dense(5, { activation: 'relu' }).apply(input);
    const output = new Dense(2).apply(hidden);
    expect(output.shape).toEqual([null, 2]);
    const model = new Model({ inputs: input, outputs: output });
    const seq = new Sequential([Input([3]), new Dense(5, { activation: 'relu' }), new Dense(2)]);
    seq.setWeights(model.getWeights());
    const x = tf.tensor(X);
    const a = model.apply(x);
    const b = seq.apply(x);
    expect(a.shape).toEqual([2, 2]);
    expectClose(b, a.arraySync() as number[][]);
    tf.dispose([x, a, b]);
    model.dispose();
  });

  it('names the layer and both shapes when called on a different last axis', () => {
    const layer = new Dense(4, { name: 'proj' });
    layer.apply(Input([64]));
    expect(() => layer.apply(Input([32]))).toThrow(/"proj" \(Dense\).*\(None, 64\).*\(None, 32\)/);
    const x = tf.zeros([2, 32]);
    expect(() => layer.apply(x)).toThrow(/"proj".*\(None, 64\).*\(2, 32\)/);
    x.dispose();
    expect(() => new Dense(4).apply(Input([]))).toThrow(/rank ≥ 2/);
    layer.dispose();
  });

  it('rejects invalid units', () => {
    expect(() => new Dense(0)).toThrow(/units must be a positive integer, got 0/);
    expect(() => new Dense(2.5)).toThrow(/units must be a positive integer, got 2.5/);
    expect(() => new Dense(2, { activation: 'nope' })).toThrow(/Unknown activation "nope"/);
  });
});

describe('Dense (Keras ≥ 3.12 configs)', () => {
  it('accepts quantization_config: null and refuses quantized layers clearly', () => {
    expect(Dense.fromConfig({ name: 'd', units: 2, quantizationConfig: null }).kerasConfig()).not.toHaveProperty(
      'quantization_config',
    );
    expect(() =>
      Dense.fromConfig({
        name: 'q',
        units: 2,
        quantizationConfig: { className: 'Int8QuantizationConfig', config: {} },
      }),
    ).toThrow(/"q" \(Dense\): quantized layers are not supported/);
    expect(() =>
      Dense.fromConfig({
        name: 'q8',
        units: 2,
        dtype: { className: 'QuantizedDTypePolicy', config: { mode: 'int8', sourceName: 'float32' } },
      }),
    ).toThrow(/"q8" \(Dense\): quantized layers are not supported \(dtype policy QuantizedDTypePolicy\)/);
  });
});

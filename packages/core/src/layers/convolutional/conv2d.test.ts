import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { imageDataFormat, setImageDataFormat } from '../../engine/image-data-format.js';
import { Input } from '../../engine/input-layer.js';
import { layerFromConfig } from '../../engine/registry.js';
import { itMatchesPlainConvReference } from './conv-reference.test-suite.js';
import { Conv2D } from './conv2d.js';

describe('Conv2D', () => {
  itMatchesPlainConvReference(Conv2D, 'conv2d');

  it('has Keras 3 defaults and get_config keys', () => {
    const layer = new Conv2D(8, { kernelSize: 3 });
    const config = layer.kerasConfig();
    expect(Object.keys(config)).toEqual([
      'name',
      'trainable',
      'dtype',
      'filters',
      'kernel_size',
      'strides',
      'padding',
      'data_format',
      'dilation_rate',
      'groups',
      'activation',
      'use_bias',
      'kernel_initializer',
      'bias_initializer',
      'kernel_regularizer',
      'bias_regularizer',
      'activity_regularizer',
      'kernel_constraint',
      'bias_constraint',
    ]);
    expect(config).toMatchObject({
      filters: 8,
      kernel_size: [3, 3],
      strides: [1, 1],
      padding: 'valid',
      data_format: 'channels_last',
      dilation_rate: [1, 1],
      groups: 1,
      activation: 'linear',
      use_bias: true,
      kernel_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
    });
    expect((config['kernel_initializer'] as { class_name: string }).class_name).toBe('GlorotUniform');
    expect((config['bias_initializer'] as { class_name: string }).class_name).toBe('Zeros');
    expect(layer.name).toMatch(/^conv2d(_\d+)?$/);
  });

  it('takes its default dataFormat from the global imageDataFormat()', () => {
    expect(imageDataFormat()).toBe('channels_last');
    setImageDataFormat('channels_first');
    try {
      const layer = new Conv2D(4, { kernelSize: 3 });
      expect(layer.dataFormat).toBe('channels_first');
      expect(layer.apply(Input([2, 6, 7])).shape).toEqual([null, 4, 4, 5]);
      expect(new Conv2D(4, { kernelSize: 3, dataFormat: 'channels_last' }).dataFormat).toBe('channels_last');
    } finally {
      setImageDataFormat('channels_last');
    }
  });

  it('round-trips getConfig → fromConfig (also through the registry)', () => {
    const layer = new Conv2D(4, {
      kernelSize: [3, 2],
      strides: 2,
      padding: 'SAME',
      dataFormat: 'channels_first',
      activation: 'relu',
      useBias: false,
      kernelInitializer: 'he_normal',
      kernelRegularizer: { className: 'L2', config: { l2: 0.01 } },
      kernelConstraint: 'non_neg',
      activityRegularizer: 'l1',
    });
    const config = layer.getConfig();
    expect(config['padding']).toBe('same');
    expect(Conv2D.fromConfig(config).getConfig()).toEqual(config);
    expect(layerFromConfig('Conv2D', config).getConfig()).toEqual(config);
  });

  it('counts parameters as Keras', () => {
    const first = new Conv2D(32, { kernelSize: [3, 3] });
    first.maybeBuild([null, 28, 28, 1]);
    expect(first.countParams()).toBe(320);
    const second = new Conv2D(64, { kernelSize: 3 });
    second.maybeBuild([null, 26, 26, 32]);
    expect(second.countParams()).toBe(18_496);
    expect(second.weights.map((w) => [w.name, w.shape])).toEqual([
      ['kernel', [3, 3, 32, 64]],
      ['bias', [64]],
    ]);
    const grouped = new Conv2D(6, { kernelSize: 3, groups: 2, useBias: false });
    grouped.maybeBuild([null, 5, 5, 4]);
    expect(grouped.countParams()).toBe(3 * 3 * 2 * 6);
    [first, second, grouped].forEach((l) => l.dispose());
  });

  it('applies its regularizers and constraints', () => {
    const layer = new Conv2D(2, {
      kernelSize: 1,
      kernelInitializer: { className: 'Constant', config: { value: -0.5 } },
      biasInitializer: 'ones',
      kernelRegularizer: { className: 'L2', config: { l2: 0.1 } },
      biasRegularizer: { className: 'L1', config: { l1: 0.5 } },
      kernelConstraint: 'non_neg',
    });
    layer.maybeBuild([null, 3, 3, 3]);
    const losses = layer.regularizationLosses();
    // kernel: 0.1 * 6 * 0.25 = 0.15; bias: 0.5 * 2 = 1.
    expect(losses.map((l) => l.dataSync()[0]!)).toEqual([expect.closeTo(0.15, 6), expect.closeTo(1, 6)]);
    tf.dispose(losses);
    layer.weights[0]!.applyConstraint();
    expect(Array.from(layer.weights[0]!.value.dataSync()).every((v) => v === 0)).toBe(true);
    layer.dispose();
  });

  it('gives symbolic output shapes', () => {
    const y = new Conv2D(16, { kernelSize: 3, strides: 2, padding: 'same' }).apply(Input([28, 28, 3]));
    expect(y.shape).toEqual([null, 14, 14, 16]);
    const z = new Conv2D(5, { kernelSize: [3, 1], dataFormat: 'channels_first' }).apply(Input([3, 10, 12]));
    expect(z.shape).toEqual([null, 5, 8, 12]);
  });

  it('rejects bad arguments with clear messages', () => {
    expect(() => new Conv2D(0, { kernelSize: 3 })).toThrow(/Conv2D .*`filters` must be a positive integer, got 0/);
    expect(() => new Conv2D(4, { kernelSize: [3, 3, 3] })).toThrow(
      /`kernelSize` must be an integer or a list of 2 integers, got \[3,3,3\]/,
    );
    expect(() => new Conv2D(4, { kernelSize: 0 })).toThrow(/`kernelSize` values must be > 0/);
    expect(() => new Conv2D(4, { kernelSize: 3, padding: 'causal' })).toThrow(
      /invalid padding "causal"; valid choices: "valid", "same"/,
    );
    expect(() => new Conv2D(4, { kernelSize: 3, padding: 'full' })).toThrow(/valid choices: "valid", "same"/);
    expect(() => new Conv2D(4, { kernelSize: 3, dataFormat: 'nchw' })).toThrow(/channels_last, channels_first/);
    expect(() => new Conv2D(4, { kernelSize: 3, strides: 2, dilationRate: 2 })).toThrow(
      /strides > 1 is not supported together with dilationRate > 1/,
    );
    expect(() => new Conv2D(5, { kernelSize: 3, groups: 2 })).toThrow(
      /`filters` \(5\) must be divisible by `groups` \(2\)/,
    );
    expect(() => new Conv2D(4, { kernelSize: 3, activation: 'nope' })).toThrow(/Unknown activation "nope"/);
    const grouped = new Conv2D(4, { kernelSize: 1, groups: 2 });
    expect(() => grouped.apply(Input([4, 4, 3]))).toThrow(/input channels \(3\) must be divisible by `groups` \(2\)/);
    const layer = new Conv2D(4, { kernelSize: 3 });
    expect(() => layer.apply(Input([10, 3]))).toThrow(/rank/);
    expect(() => layer.apply(Input([2, 2, 3]))).toThrow(/negative|zero/);
    const built = new Conv2D(2, { kernelSize: 1 });
    built.apply(Input([4, 4, 3]));
    expect(() => built.apply(Input([4, 4, 5]))).toThrow(/axis -1 .* size 3/);
  });

  it('does not leak tensors and leaves inputs alone', () => {
    const layer = new Conv2D(3, {
      kernelSize: 3,
      padding: 'same',
      dataFormat: 'channels_first',
      dilationRate: 2,
      activation: 'relu',
    });
    const x = tf.randomNormal([2, 2, 6, 6]);
    layer.apply(x).dispose(); // builds the weights
    const before = tf.memory().numTensors;
    const y = layer.apply(x);
    expect(y.shape).toEqual([2, 3, 6, 6]);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(x.isDisposed).toBe(false);
    x.dispose();
    layer.dispose();
  });

  describe('fused convolution, bias and activation', () => {
    /** A built layer's output and the same step as separate ops (conv2d, bias add, activation). */
    function outputs(activation: 'relu' | 'linear' | 'tanh', padding: 'valid' | 'same') {
      const layer = new Conv2D(4, { kernelSize: 3, strides: 2, padding, activation });
      const x = tf.randomNormal([2, 9, 9, 3], 0, 1, 'float32', 11);
      layer.apply(x).dispose(); // builds the weights
      const [kernel, bias] = layer.getWeights();
      const separate = tf.tidy(() => {
        const z = tf.add(tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, 2, padding), bias!);
        return activation === 'relu' ? tf.relu(z) : activation === 'tanh' ? tf.tanh(z) : z;
      });
      return { layer, x, separate, weights: [kernel!, bias!] };
    }

    for (const activation of ['relu', 'linear', 'tanh'] as const) {
      for (const padding of ['valid', 'same'] as const) {
        it(`${activation}, ${padding}: equals the separate ops, in ${activation === 'tanh' ? 'separate kernels' : 'one kernel'} outside gradients`, async () => {
          const { layer, x, separate, weights } = outputs(activation, padding);
          const before = tf.memory().numTensors;
          const profile = await tf.profile(() => tf.dispose(layer.apply(x)));
          expect(tf.memory().numTensors).toBe(before);
          const names = profile.kernels.map((k) => k.name);
          // (relu by Strata's fused kernel where the backend has it, with its own gradient; else TF.js's)
          const fused = names.filter((n) => n === 'FusedConv2D' || n === 'StrataConv2DBiasRelu');
          expect(fused.length).toBe(activation === 'tanh' ? 0 : 1);
          const y = layer.apply(x);
          expect(tf.max(tf.abs(tf.sub(y, separate))).dataSync()[0]).toBeLessThan(1e-5);
          tf.dispose([x, y, separate, ...weights]);
          layer.dispose();
        });
      }
    }

    it('keeps the gradients of the separate ops while recording (relu)', () => {
      const { layer, x, separate, weights } = outputs('relu', 'same');
      const kernel = layer.trainableWeights[0]!.value;
      const loss = (input: tf.Tensor): tf.Scalar => tf.sum(tf.square(layer.apply(input)));
      const dx = tf.grad(loss)(x);
      const { value, grads } = tf.variableGrads(() => loss(x), [kernel]);
      const reference = (input: tf.Tensor, k: tf.Tensor): tf.Scalar =>
        tf.sum(tf.square(tf.relu(tf.add(tf.conv2d(input as tf.Tensor4D, k as tf.Tensor4D, 2, 'same'), weights[1]!))));
      const [rx, rk] = tf.grads(reference)([x, weights[0]!]);
      expect(tf.max(tf.abs(tf.sub(dx, rx!))).dataSync()[0]).toBeLessThan(1e-4);
      expect(tf.max(tf.abs(tf.sub(grads[kernel.name]!, rk!))).dataSync()[0]).toBeLessThan(1e-4);
      tf.dispose([x, separate, ...weights, dx, value, grads[kernel.name]!, rx!, rk!]);
      layer.dispose();
    });
  });
});

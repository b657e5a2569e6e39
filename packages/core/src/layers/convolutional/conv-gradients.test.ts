/**
 * Finite-difference gradient checks of the convolution, pooling and normalization layers on the
 * test backend (WASM here): every weight and the input get correct gradients, dilation and
 * channels_first included, and a Conv2D → BatchNormalization → dense head chain trains.
 * (Several WASM kernels of TF.js 4.22 have wrong gradients; these checks are what caught them.)
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { Layer } from '../../engine/layer.js';
import { BatchNormalization } from '../normalization/batch-normalization.js';
import { GroupNormalization } from '../normalization/group-normalization.js';
import { LayerNormalization } from '../normalization/layer-normalization.js';
import { RMSNormalization } from '../normalization/rms-normalization.js';
import { UnitNormalization } from '../normalization/unit-normalization.js';
import { AveragePooling2D } from '../pooling/average-pooling2d.js';
import { AveragePooling3D } from '../pooling/average-pooling3d.js';
import { MaxPooling2D } from '../pooling/max-pooling2d.js';
import { MaxPooling3D } from '../pooling/max-pooling3d.js';
import { Conv1D } from './conv1d.js';
import { Conv1DTranspose } from './conv1d-transpose.js';
import { Conv2D } from './conv2d.js';
import { Conv2DTranspose } from './conv2d-transpose.js';
import { Conv3D } from './conv3d.js';
import { Conv3DTranspose } from './conv3d-transpose.js';
import { DepthwiseConv1D } from './depthwise-conv1d.js';
import { DepthwiseConv2D } from './depthwise-conv2d.js';
import { SeparableConv1D } from './separable-conv1d.js';
import { SeparableConv2D } from './separable-conv2d.js';

const STEP = 1e-2;

/** Deterministic pseudo-random values in [-1, 1) (no backend RNG, so cases are reproducible). */
function values(count: number, seed: number): number[] {
  let state = seed;
  return Array.from({ length: count }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return (state / 2147483648) * 2 - 1;
  });
}

/**
 * Compares analytic gradients of `loss` with central differences at a few coordinates of each
 * tensor in `targets` (mutated in place through their variables). Returns the worst error ratio.
 */
function checkGradients(loss: () => tf.Scalar, targets: tf.Variable[], samplesPerTarget = 6): number {
  const { grads } = tf.variableGrads(loss, targets);
  let worst = 0;
  targets.forEach((v, t) => {
    const analytic = grads[v.name]!.dataSync();
    const base = v.dataSync().slice();
    const picks = values(samplesPerTarget, 17 + t).map((r) => Math.floor(((r + 1) / 2) * base.length));
    for (const index of picks) {
      const at = (delta: number): number => {
        const shifted = base.slice();
        shifted[index] = base[index]! + delta;
        tf.tidy(() => v.assign(tf.tensor(shifted, v.shape)));
        return tf.tidy(() => loss().dataSync()[0]!);
      };
      const numeric = (at(STEP) - at(-STEP)) / (2 * STEP);
      tf.tidy(() => v.assign(tf.tensor(base, v.shape)));
      const error = Math.abs(numeric - analytic[index]!) / (2e-3 + 2e-2 * Math.abs(numeric));
      worst = Math.max(worst, error);
    }
  });
  tf.dispose(Object.values(grads));
  return worst;
}

/** Loss `sum(tanh(layer(x)) * weights)` with fixed projection weights. */
function layerGradientError(layer: Layer, inputShape: number[], training = false): number {
  const size = inputShape.reduce((a, b) => a * b, 1);
  const x = tf.variable(tf.tensor(values(size, 3), inputShape), true, `x_${layer.name}`);
  const probe = layer.apply(x, { training });
  const projection = tf.tensor(values(probe.size, 11), probe.shape);
  probe.dispose();
  const loss = (): tf.Scalar =>
    tf.tidy(() => tf.sum(tf.mul(tf.tanh(layer.apply(x, { training })), projection)) as tf.Scalar);
  const targets = [x, ...layer.trainableWeights.map((w) => w.value)];
  const worst = checkGradients(loss, targets);
  tf.dispose([x, projection]);
  return worst;
}

describe('gradients of convolution layers (finite differences)', () => {
  const cases: [string, () => Layer, number[]][] = [
    ['Conv2D same, strides 2', () => new Conv2D(3, { kernelSize: 3, strides: 2, padding: 'same' }), [2, 5, 5, 2]],
    [
      'Conv2D dilated, channels_first',
      () => new Conv2D(2, { kernelSize: 2, dilationRate: 2, dataFormat: 'channels_first' }),
      [2, 2, 5, 5],
    ],
    ['Conv2D groups', () => new Conv2D(4, { kernelSize: 2, groups: 2 }), [1, 4, 4, 4]],
    ['Conv1D causal dilated', () => new Conv1D(3, { kernelSize: 2, padding: 'causal', dilationRate: 2 }), [2, 6, 2]],
    ['Conv3D', () => new Conv3D(2, { kernelSize: 2, padding: 'same' }), [1, 3, 3, 3, 2]],
    [
      'Conv2DTranspose strides 2',
      () => new Conv2DTranspose(2, { kernelSize: 3, strides: 2, padding: 'same' }),
      [2, 3, 3, 2],
    ],
    [
      'Conv2DTranspose dilated, output padding free',
      () => new Conv2DTranspose(2, { kernelSize: 2, dilationRate: 2 }),
      [1, 3, 3, 2],
    ],
    [
      'DepthwiseConv2D multiplier 2',
      () => new DepthwiseConv2D(3, { depthMultiplier: 2, padding: 'same' }),
      [2, 4, 4, 2],
    ],
    ['DepthwiseConv2D dilated', () => new DepthwiseConv2D(2, { dilationRate: 2 }), [1, 5, 5, 2]],
    ['SeparableConv2D', () => new SeparableConv2D(3, { kernelSize: 2, depthMultiplier: 2, strides: 2 }), [2, 5, 5, 2]],
    [
      'Conv1DTranspose strides 2',
      () => new Conv1DTranspose(2, { kernelSize: 3, strides: 2, padding: 'same' }),
      [2, 4, 3],
    ],
    [
      'DepthwiseConv1D dilated',
      () => new DepthwiseConv1D(2, { depthMultiplier: 2, dilationRate: 2, padding: 'same' }),
      [2, 6, 2],
    ],
    [
      'SeparableConv1D channels_first',
      () => new SeparableConv1D(3, { kernelSize: 3, strides: 2, dataFormat: 'channels_first' }),
      [2, 2, 7],
    ],
    [
      'Conv3DTranspose same, strides 2',
      () => new Conv3DTranspose(2, { kernelSize: 2, strides: 2, padding: 'same' }),
      [1, 2, 2, 2, 2],
    ],
    [
      'Conv3DTranspose valid, output padding, channels_first',
      () =>
        new Conv3DTranspose(2, {
          kernelSize: 2,
          strides: [2, 1, 2],
          outputPadding: [1, 0, 1],
          dataFormat: 'channels_first',
        }),
      [1, 2, 2, 2, 2],
    ],
    ['MaxPooling2D same', () => new MaxPooling2D(2, { padding: 'same' }), [2, 5, 5, 2]],
    ['AveragePooling2D same', () => new AveragePooling2D(3, { strides: 2, padding: 'same' }), [2, 5, 5, 2]],
    [
      'AveragePooling2D valid, channels_first',
      () => new AveragePooling2D([2, 3], { strides: 1, dataFormat: 'channels_first' }),
      [2, 2, 4, 5],
    ],
    ['MaxPooling3D same', () => new MaxPooling3D(2, { padding: 'same' }), [1, 3, 3, 3, 2]],
    [
      'AveragePooling3D same, channels_first',
      () => new AveragePooling3D(2, { padding: 'same', dataFormat: 'channels_first' }),
      [1, 2, 3, 3, 3],
    ],
    ['Conv3D valid, strides 2', () => new Conv3D(2, { kernelSize: 2, strides: 2 }), [1, 4, 4, 3, 2]],
  ];

  it.each(cases)('%s', (_, make, shape) => {
    const layer = make();
    expect(layerGradientError(layer, shape)).toBeLessThan(1);
    layer.dispose();
  });

  it.each([
    ['LayerNormalization over two axes', () => new LayerNormalization([1, 2]), [2, 3, 4]],
    ['GroupNormalization, channels on axis 1', () => new GroupNormalization(2, { axis: 1 }), [2, 4, 3]],
    ['RMSNormalization', () => new RMSNormalization(), [3, 5]],
    ['UnitNormalization', () => new UnitNormalization(), [3, 5]],
  ] as [string, () => Layer, number[]][])('%s', (_, make, shape) => {
    const layer = make();
    expect(layerGradientError(layer, shape)).toBeLessThan(1);
    layer.dispose();
  });

  it('BatchNormalization in training mode (gradient through the batch statistics)', () => {
    const layer = new BatchNormalization();
    expect(layerGradientError(layer, [6, 3], true)).toBeLessThan(1);
    layer.dispose();
  });
});

describe('Conv2D → BatchNormalization → dense head', () => {
  it('has correct gradients end to end and trains (loss decreases, moving stats move)', () => {
    const conv = new Conv2D(3, { kernelSize: 3, padding: 'same', activation: 'tanh' });
    const norm = new BatchNormalization({ momentum: 0.5 });
    const x = tf.tensor(values(2 * 5 * 5 * 2, 5), [2, 5, 5, 2]);
    const target = tf.tensor([[0.5], [-0.5]]);
    const head = tf.variable(tf.mul(tf.tensor(values(5 * 5 * 3, 9), [5 * 5 * 3, 1]), 0.2), true, 'head_kernel');
    conv.apply(x).dispose();
    // Deterministic conv weights so the check does not depend on the initializer's RNG.
    conv.setWeights([tf.tensor(values(3 * 3 * 2 * 3, 21), [3, 3, 2, 3]), tf.tensor([0.1, -0.1, 0.2])]);
    const loss = (): tf.Scalar =>
      tf.tidy(() => {
        const features = norm.apply(conv.apply(x), { training: true });
        const prediction = tf.matMul(tf.reshape(features, [2, -1]), head);
        return tf.mean(tf.square(tf.sub(prediction, target))) as tf.Scalar;
      });
    norm.apply(conv.apply(x)).dispose();
    const targets = [...conv.trainableWeights, ...norm.trainableWeights].map((w) => w.value).concat(head);
    expect(checkGradients(loss, targets, 5)).toBeLessThan(1);

    const optimizer = tf.train.sgd(0.005);
    const before = tf.memory().numTensors;
    const first = tf.tidy(() => loss().dataSync()[0]!);
    for (let i = 0; i < 15; i++) optimizer.minimize(loss, false, targets);
    const last = tf.tidy(() => loss().dataSync()[0]!);
    expect(last).toBeLessThan(first * 0.5);
    expect(tf.memory().numTensors).toBe(before);
    const normWeights = norm.getWeights();
    expect(Array.from(normWeights[2]!.dataSync()).some((v) => v !== 0)).toBe(true);
    tf.dispose([x, target, head, ...normWeights]);
    optimizer.dispose();
    conv.dispose();
    norm.dispose();
  });
});

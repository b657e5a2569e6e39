/**
 * Gradients through the layers of the core, activations, reshaping and merging groups on the
 * test backend, checked against central finite differences (so a missing or wrong backward
 * kernel shows up here rather than in training).
 */
import * as tf from '@tensorflow/tfjs-core';
// The Node entry of tfjs-core registers no gradients.
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { describe, expect, it } from 'vitest';
import type { Layer } from '../../engine/layer.js';
import { ELU } from '../activations/elu.js';
import { LeakyReLU } from '../activations/leaky-relu.js';
import { PReLU } from '../activations/prelu.js';
import { ReLU } from '../activations/relu.js';
import { Softmax } from '../activations/softmax.js';
import { Add } from '../merging/add.js';
import { Average } from '../merging/average.js';
import { Concatenate } from '../merging/concatenate.js';
import { Dot } from '../merging/dot.js';
import { Maximum } from '../merging/maximum.js';
import { Minimum } from '../merging/minimum.js';
import { Multiply } from '../merging/multiply.js';
import { Subtract } from '../merging/subtract.js';
import { Cropping1D } from '../reshaping/cropping1d.js';
import { Cropping2D } from '../reshaping/cropping2d.js';
import { Cropping3D } from '../reshaping/cropping3d.js';
import { Flatten } from '../reshaping/flatten.js';
import { Permute } from '../reshaping/permute.js';
import { RepeatVector } from '../reshaping/repeat-vector.js';
import { Reshape } from '../reshaping/reshape.js';
import { UpSampling1D } from '../reshaping/up-sampling1d.js';
import { UpSampling2D } from '../reshaping/up-sampling2d.js';
import { UpSampling3D } from '../reshaping/up-sampling3d.js';
import { ZeroPadding1D } from '../reshaping/zero-padding1d.js';
import { ZeroPadding2D } from '../reshaping/zero-padding2d.js';
import { ZeroPadding3D } from '../reshaping/zero-padding3d.js';
import { Dense } from './dense.js';
import { Embedding } from './embedding.js';
import { Rescaling } from './rescaling.js';

/** Deterministic values in [-1, 1), kept away from 0 so piecewise-linear kinks are not probed. */
function values(size: number, seed: number): number[] {
  const out: number[] = [];
  let state = (seed * 2654435761) >>> 0;
  for (let i = 0; i < size; i++) {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const v = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
    out.push(Math.abs(v) < 0.1 ? v + (v < 0 ? -0.2 : 0.2) : v);
  }
  return out;
}

function tensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(
    values(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  );
}

/** d/dx of sum(layer(x) * r) by tf.grad and by central differences agree. */
function checkInputGradient(layer: Layer, shapes: number[][]): void {
  const inputs = shapes.map((s, i) => tensor(s, 7 + i));
  const run = (xs: tf.Tensor[]): tf.Tensor => layer.apply(shapes.length === 1 ? xs[0]! : xs);
  const probe = run(inputs);
  const r = tensor(probe.shape, 99);
  probe.dispose();
  const objective = (...xs: tf.Tensor[]): tf.Scalar => tf.sum(tf.mul(run(xs), r));
  const before = tf.memory().numTensors;
  const grads = tf.grads(objective)(inputs);
  expect(tf.memory().numTensors - before).toBe(grads.length);
  const eps = 1e-2;
  inputs.forEach((x, k) => {
    const flat = x.dataSync();
    const analytic = grads[k]!.dataSync();
    for (let i = 0; i < flat.length; i++) {
      const shifted = (delta: number): number =>
        tf.tidy(() => {
          const copy = Float32Array.from(flat);
          copy[i] = copy[i]! + delta;
          const xs = inputs.map((t, j) => (j === k ? tf.tensor(copy, x.shape) : t));
          return objective(...xs).dataSync()[0]!;
        });
      const numeric = (shifted(eps) - shifted(-eps)) / (2 * eps);
      expect(Math.abs(analytic[i]! - numeric), `${layer.className} input ${k} element ${i}`).toBeLessThan(2e-2);
    }
  });
  tf.dispose([...inputs, ...grads, r]);
}

describe('input gradients match finite differences', () => {
  const cases: [string, () => Layer, number[][]][] = [
    ['Dense', () => new Dense(3, { activation: 'tanh' }), [[2, 4]]],
    ['Dense (rank 3)', () => new Dense(2), [[2, 3, 4]]],
    [
      'Dense (relu, fused)',
      () =>
        new Dense(3, {
          activation: 'relu',
          kernelInitializer: 'ones',
          biasInitializer: { className: 'Constant', config: { value: -0.3 } },
        }),
      [[2, 4]],
    ],
    ['Rescaling', () => new Rescaling([2, -1], { offset: 0.5 }), [[2, 2]]],
    ['ReLU', () => new ReLU({ maxValue: 0.6, negativeSlope: 0.1, threshold: 0.05 }), [[2, 5]]],
    ['LeakyReLU', () => new LeakyReLU(), [[2, 5]]],
    ['ELU', () => new ELU({ alpha: 0.7 }), [[2, 5]]],
    ['PReLU', () => new PReLU({ alphaInitializer: { className: 'Constant', config: { value: 0.25 } } }), [[2, 5]]],
    ['Softmax', () => new Softmax(), [[2, 4]]],
    ['Softmax (axis 1)', () => new Softmax({ axis: 1 }), [[1, 3, 2]]],
    ['Flatten', () => new Flatten({ dataFormat: 'channels_first' }), [[1, 2, 2, 2]]],
    ['Reshape', () => new Reshape([-1, 2]), [[1, 6]]],
    ['Permute', () => new Permute([2, 1]), [[1, 2, 3]]],
    ['RepeatVector', () => new RepeatVector(3), [[2, 2]]],
    ['ZeroPadding1D', () => new ZeroPadding1D({ padding: [1, 2] }), [[1, 2, 2]]],
    ['ZeroPadding2D', () => new ZeroPadding2D(), [[1, 2, 2, 1]]],
    ['Cropping1D', () => new Cropping1D(), [[1, 4, 2]]],
    [
      'Cropping2D',
      () =>
        new Cropping2D({
          cropping: [
            [1, 0],
            [0, 1],
          ],
        }),
      [[1, 3, 3, 1]],
    ],
    ['UpSampling1D', () => new UpSampling1D({ size: 3 }), [[1, 2, 2]]],
    ['UpSampling2D nearest', () => new UpSampling2D(), [[1, 2, 2, 1]]],
    ['UpSampling2D bilinear', () => new UpSampling2D({ interpolation: 'bilinear' }), [[1, 2, 3, 1]]],
    [
      'Add',
      () => new Add(),
      [
        [2, 3],
        [2, 3],
      ],
    ],
    [
      'Subtract',
      () => new Subtract(),
      [
        [2, 3],
        [2, 3],
      ],
    ],
    [
      'Multiply',
      () => new Multiply(),
      [
        [2, 3],
        [2, 3],
      ],
    ],
    [
      'Average',
      () => new Average(),
      [
        [2, 3],
        [2, 1],
      ],
    ],
    [
      'Maximum',
      () => new Maximum(),
      [
        [2, 3],
        [2, 3],
      ],
    ],
    [
      'Minimum',
      () => new Minimum(),
      [
        [2, 3],
        [2, 3],
      ],
    ],
    [
      'Concatenate',
      () => new Concatenate({ axis: 1 }),
      [
        [2, 1, 2],
        [2, 2, 2],
      ],
    ],
    [
      'Dot',
      () => new Dot(2, { normalize: true }),
      [
        [1, 2, 3],
        [1, 4, 3],
      ],
    ],
    ['ZeroPadding3D', () => new ZeroPadding3D(), [[1, 1, 1, 2, 1]]],
    [
      'Cropping3D',
      () =>
        new Cropping3D({
          cropping: [
            [1, 0],
            [0, 0],
            [0, 1],
          ],
        }),
      [[1, 2, 1, 2, 1]],
    ],
    ['UpSampling3D', () => new UpSampling3D(), [[1, 1, 2, 1, 1]]],
  ];
  it.each(cases)('%s', (_, make, shapes) => {
    const layer = make();
    checkInputGradient(layer, shapes);
    layer.dispose();
  });
});

describe('weight gradients', () => {
  it('Dense: d/dkernel and d/dbias of sum(x·K + b) are column sums of x and the batch size', () => {
    const layer = new Dense(2);
    const x = tf.tensor([
      [1, 2],
      [3, 4],
    ]);
    layer.maybeBuild(x.shape);
    const { grads, value } = tf.variableGrads(
      () => tf.sum(layer.apply(x)) as tf.Scalar,
      layer.trainableWeights.map((w) => w.value),
    );
    expect(grads[layer.weights[0]!.value.name]!.arraySync()).toEqual([
      [4, 4],
      [6, 6],
    ]);
    expect(grads[layer.weights[1]!.value.name]!.arraySync()).toEqual([2, 2]);
    tf.dispose([x, value, ...Object.values(grads)]);
    layer.dispose();
  });

  it('PReLU: d/dalpha is -relu(-x) summed over the batch', () => {
    const layer = new PReLU();
    const x = tf.tensor([
      [-1, 2],
      [-3, -4],
    ]);
    layer.maybeBuild(x.shape);
    const { grads, value } = tf.variableGrads(() => tf.sum(layer.apply(x)) as tf.Scalar, [layer.weights[0]!.value]);
    expect(grads[layer.weights[0]!.value.name]!.arraySync()).toEqual([-4, -4]);
    tf.dispose([x, value, ...Object.values(grads)]);
    layer.dispose();
  });

  it('Embedding: d/dembeddings of sum(lookup) counts how often each id occurs', () => {
    const layer = new Embedding(4, 2);
    const ids = tf.tensor(
      [
        [1, 3, 1],
        [0, 1, 3],
      ],
      undefined,
      'int32',
    );
    layer.maybeBuild(ids.shape);
    const table = layer.weights[0]!.value;
    const { grads, value } = tf.variableGrads(() => tf.sum(layer.apply(ids)) as tf.Scalar, [table]);
    expect(grads[table.name]!.arraySync()).toEqual([
      [1, 1],
      [3, 3],
      [0, 0],
      [2, 2],
    ]);
    tf.dispose([ids, value, ...Object.values(grads)]);
    layer.dispose();
  });
});

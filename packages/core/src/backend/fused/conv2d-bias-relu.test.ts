/**
 * The fused convolution + bias + relu kernel gives the unfused ops' values and gradients (conv2d,
 * add, relu) on the cpu and wasm backends, computes only the gradients the tape needs (no input
 * gradient for a first layer), and is what a relu Conv2D layer trains through.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Input, Sequential, layers } from '../../index.js';
import { initBackend, type BackendName } from '../select.js';
import { conv2dBiasRelu } from './conv2d-bias-relu.js';

/** [label, x shape, filter shape, strides, pad, bias?] */
const CASES: [string, number[], number[], number, 'valid' | 'same', boolean][] = [
  ['3×3 valid, bias (the MNIST convnet layer)', [2, 9, 9, 16], [3, 3, 16, 32], 1, 'valid', true],
  ['3×3 same, stride 2, no bias', [2, 9, 7, 3], [3, 3, 3, 4], 2, 'same', false],
  ['2×2 same, bias, 1 channel in', [3, 5, 6, 1], [2, 2, 1, 5], 1, 'same', true],
];

function seeded(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, -1, 1, 'float32', seed);
}

/** The output, then the gradients of sum(w ⊙ output) with respect to x, filter (and bias): fused, or by the plain ops. */
function valueAndGradients(c: (typeof CASES)[number], fused: boolean): Float32Array[] {
  const [, xShape, fShape, strides, pad, withBias] = c;
  return tf.tidy(() => {
    const x = seeded(xShape, 1) as tf.Tensor4D;
    const filter = seeded(fShape, 2) as tf.Tensor4D;
    const bias = withBias ? seeded([fShape[3]!], 3) : null;
    const forward = (xs: tf.Tensor4D, fs: tf.Tensor4D, bs: tf.Tensor | null): tf.Tensor => {
      if (fused) return conv2dBiasRelu(xs, fs, bs, { strides: [strides, strides], pad });
      const conv = tf.conv2d(xs, fs, strides, pad);
      return tf.relu(bs === null ? conv : tf.add(conv, bs));
    };
    const y = forward(x, filter, bias);
    const weights = seeded(y.shape, 4);
    const loss = (...args: tf.Tensor[]): tf.Tensor =>
      tf.sum(tf.mul(forward(args[0] as tf.Tensor4D, args[1] as tf.Tensor4D, args[2] ?? null), weights));
    const grads = tf.grads(loss)(bias === null ? [x, filter] : [x, filter, bias]);
    return [y, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

describe('the fused convolution + bias + relu kernel', () => {
  let original: BackendName;
  beforeAll(async () => {
    original = await initBackend();
  });
  afterAll(async () => {
    await initBackend(original);
  });

  for (const backendName of ['cpu', 'wasm'] as const) {
    for (const c of CASES) {
      it(`${backendName}: ${c[0]}: the unfused ops' values and gradients`, async () => {
        await initBackend(backendName);
        const before = tf.memory().numTensors;
        const fused = valueAndGradients(c, true);
        const plain = valueAndGradients(c, false);
        expect(tf.memory().numTensors).toBe(before);
        expect(fused.length).toBe(c[5] ? 4 : 3);
        fused.forEach((values, i) => {
          const scale = Math.max(...Array.from(plain[i]!, Math.abs), 1);
          const worst = Math.max(...Array.from(values, (v, j) => Math.abs(v - plain[i]![j]!)));
          expect(worst / scale, ['value', 'x gradient', 'filter gradient', 'bias gradient'][i]).toBeLessThan(1e-5);
        });
        expect(fused[0]!.some((v) => v === 0) && fused[0]!.some((v) => v > 0), 'relu cuts some, keeps some').toBe(true);
      });
    }
  }

  it('computes no input gradient when only the filter and bias need one', async () => {
    await initBackend('wasm');
    const x = seeded([4, 12, 12, 1], 5) as tf.Tensor4D;
    const filter = tf.variable(seeded([3, 3, 1, 16], 6));
    const bias = tf.variable(seeded([16], 7));
    const info = await tf.profile(() => {
      const { grads } = tf.variableGrads(() =>
        tf.sum(conv2dBiasRelu(x, filter as tf.Tensor4D, bias, { strides: [1, 1], pad: 'valid' })),
      );
      expect(Object.keys(grads).sort()).toEqual([bias.name, filter.name].sort());
      tf.dispose(Object.values(grads));
    });
    const names = info.kernels.map((k) => k.name);
    expect(names).toContain('Conv2DBackpropFilter');
    expect(names).not.toContain('Conv2DBackpropInput');
    tf.dispose([x, filter, bias]);
  });

  it('is what a relu Conv2D layer trains through (no separate Add or Relu kernels)', async () => {
    await initBackend('wasm');
    const model = new Sequential([
      Input([8, 8, 1]),
      new layers.Conv2D(16, 3, { activation: 'relu' }),
      new layers.Flatten(),
      new layers.Dense(2),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const [xs, ys] = [seeded([4, 8, 8, 1], 10), seeded([4, 2], 11)];
    model.trainOnBatch(xs, ys);
    const before = tf.memory().numTensors;
    const info = await tf.profile(() => {
      model.trainOnBatch(xs, ys);
    });
    expect(tf.memory().numTensors).toBe(before);
    const names = new Set(info.kernels.map((k) => k.name));
    expect(names.has('StrataConv2DBiasRelu')).toBe(true);
    expect([...names].filter((n) => ['Relu', 'Conv2D', 'Conv2DBackpropInput'].includes(n))).toEqual([]);
    tf.dispose([xs, ys]);
    model.dispose();
  });
});

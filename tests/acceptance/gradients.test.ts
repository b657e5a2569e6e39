/**
 * Acceptance (issue 2): gradients are right. One SGD step through the public training path
 * (`compile` + `trainOnBatch`) on a small functional model with Conv2D, BatchNormalization
 * (training mode: batch statistics), Dropout(0) and Dense moves every trainable weight by
 * exactly `-learningRate * dLoss/dw`; dLoss/dw is checked against central finite differences of
 * the training-mode loss, computed independently (mean squared error in float64 from the outputs).
 */
import { describe, expect, it } from 'vitest';
import { Input, Model, layers, optimizers, tf } from '@strata/core';

const BATCH = 4;

function seeded(seed: number): { className: string; config: { seed: number } } {
  return { className: 'GlorotUniform', config: { seed } };
}

function smallConvNet(): Model {
  const image = Input({ shape: [5, 5, 1], name: 'image' });
  let h = new layers.Conv2D(2, {
    kernelSize: 3,
    activation: 'tanh',
    kernelInitializer: seeded(11),
    biasInitializer: { className: 'RandomUniform', config: { minval: -0.2, maxval: 0.2, seed: 12 } },
  }).apply(image);
  h = new layers.BatchNormalization({
    gammaInitializer: { className: 'RandomUniform', config: { minval: 0.8, maxval: 1.2, seed: 13 } },
    betaInitializer: { className: 'RandomUniform', config: { minval: -0.1, maxval: 0.1, seed: 14 } },
  }).apply(h);
  h = new layers.Flatten().apply(h);
  h = new layers.Dropout(0).apply(h);
  h = new layers.Dense(3, { activation: 'tanh', kernelInitializer: seeded(15) }).apply(h);
  const out = new layers.Dense(2, {
    kernelInitializer: seeded(16),
    biasInitializer: { className: 'RandomUniform', config: { minval: -0.3, maxval: 0.3, seed: 17 } },
  }).apply(h);
  return new Model({ inputs: image, outputs: out });
}

/** Deterministic, non-degenerate images and targets. */
function batch(): { x: number[][][][]; y: number[][] } {
  const x = Array.from({ length: BATCH }, (_, n) =>
    Array.from({ length: 5 }, (_, i) =>
      Array.from({ length: 5 }, (_, j) => [Math.sin(1.3 * i + 0.7 * j + 2.1 * n) + 0.1 * n]),
    ),
  );
  const y = Array.from({ length: BATCH }, (_, n) => [Math.cos(n), 0.5 - 0.3 * n]);
  return { x, y };
}

describe('gradient check through compile + trainOnBatch (SGD)', () => {
  it('the SGD step equals -lr × the finite-difference gradient of the training loss', () => {
    const model = smallConvNet();
    // lr = 1: the step IS minus the gradient, so no small differences of nearly equal float32 weights.
    const lr = 1;
    model.compile({ optimizer: new optimizers.SGD({ learningRate: lr }), loss: 'mse' });
    const { x, y } = batch();
    const xT = tf.tensor4d(x);
    const weights = model.weights;
    const trainable = weights.map((w) => w.trainable);
    // Conv kernel+bias, BN gamma+beta, two Dense kernels+biases.
    expect(trainable.filter(Boolean)).toHaveLength(8);
    const before = model.getWeights();
    const start = before.map((w) => Float64Array.from(w.dataSync()));

    model.trainOnBatch(x, y);
    const after = model.getWeights();
    const analytic: number[] = [];
    after.forEach((w, k) => {
      if (!trainable[k]) return;
      const values = w.dataSync();
      for (let j = 0; j < values.length; j++) analytic.push((start[k]![j]! - values[j]!) / lr);
    });
    tf.dispose(after);

    // The training-mode loss (BatchNormalization uses the batch statistics, as in the step), in float64.
    const loss = (values: Float64Array[]): number => {
      model.setWeights(values.map((v, k) => tf.tensor(Float32Array.from(v), before[k]!.shape)));
      const out = model.apply(xT, { training: true }) as tf.Tensor;
      const p = out.dataSync();
      out.dispose();
      let sum = 0;
      for (let n = 0; n < BATCH; n++) for (let c = 0; c < 2; c++) sum += (p[n * 2 + c]! - y[n]![c]!) ** 2;
      return sum / (BATCH * 2);
    };
    // Central differences, eps = 1e-2: truncation error O(eps²·f''') ≈ 1e-4 relative; float32 rounding of a
    // loss of order 1 (≈1e-7) divided by 2·eps adds ≈1e-5 absolute. 2e-2 leaves a wide margin for both
    // while a wrong gradient (missing BN batch-statistics term, wrong conv transpose, dropout scaling) is off by ≫ 10%.
    const eps = 1e-2;
    const numeric: number[] = [];
    start.forEach((values, k) => {
      if (!trainable[k]) return;
      for (let j = 0; j < values.length; j++) {
        const plus = start.map((v) => Float64Array.from(v));
        const minus = start.map((v) => Float64Array.from(v));
        plus[k]![j]! += eps;
        minus[k]![j]! -= eps;
        numeric.push((loss(plus) - loss(minus)) / (2 * eps));
      }
    });
    tf.dispose([...before, xT]);

    expect(analytic).toHaveLength(numeric.length);
    const norm = Math.hypot(...numeric);
    const diff = Math.hypot(...numeric.map((g, i) => g - analytic[i]!));
    expect(norm).toBeGreaterThan(0.05);
    expect(diff / norm).toBeLessThan(2e-2);
    // Component-wise too, with an absolute floor for near-zero entries.
    numeric.forEach((g, i) => expect(Math.abs(g - analytic[i]!)).toBeLessThan(2e-2 * Math.abs(g) + 2e-3));
    model.dispose();
  });
});

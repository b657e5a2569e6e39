/** Tiny models and data shared by the training tests. */
import * as tf from '@tensorflow/tfjs-core';
import { Input } from '../engine/input-layer.js';
import { Model } from '../engine/model.js';
import { Sequential } from '../engine/sequential.js';
import { Dense, type DenseArgs } from '../layers/core/dense.js';

/** Deterministic regression data: y = x·[1, -2, 0.5] + 0.3, x from a fixed pattern. */
export function regressionData(n = 48): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const xs: number[][] = [];
  const ys: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = [Math.sin(i), Math.cos(1.7 * i), ((i % 7) - 3) / 3];
    xs.push(row);
    ys.push([row[0]! - 2 * row[1]! + 0.5 * row[2]! + 0.3]);
  }
  return { x: tf.tensor2d(xs), y: tf.tensor2d(ys) };
}

/** A small MLP regressor. */
export function mlp(hidden = 8, args: DenseArgs = {}): Sequential {
  return new Sequential([Input([3]), new Dense(hidden, { activation: 'tanh', ...args }), new Dense(1, args)]);
}

/** One Dense(1) with zero weights (predicts 0): losses can be computed by hand. */
export function zeroModel(inputDim = 1, args: DenseArgs = {}): Sequential {
  return new Sequential([
    Input([inputDim]),
    new Dense(1, { kernelInitializer: 'zeros', biasInitializer: 'zeros', ...args }),
  ]);
}

/** Two inputs (`left`, `right`) and two outputs (`a`, `b`), all weights zero. */
export function twoHeadModel(): Model {
  const left = Input({ shape: [2], name: 'left' });
  const right = Input({ shape: [1], name: 'right' });
  const zeros = { kernelInitializer: 'zeros', biasInitializer: 'zeros' } as const;
  const a = new Dense(1, { ...zeros, name: 'a' }).apply(left);
  const b = new Dense(1, { ...zeros, name: 'b' }).apply(right);
  return new Model({ inputs: [left, right], outputs: [a, b] });
}

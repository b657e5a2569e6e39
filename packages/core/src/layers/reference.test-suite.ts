/**
 * The check every reference-fixture layer test makes (convolution, pooling): apply the layer to
 * the fixture input and compare with the fixture output.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { Input } from '../engine/input-layer.js';
import type { Layer } from '../engine/layer.js';

/**
 * Applies `layer` to `x` and expects: exactly one new tensor (no leaks), the shape of `output`,
 * values within 1e-5, and a symbolic output shape that agrees with the eager one.
 */
export function expectMatchesReference(layer: Layer, x: tf.Tensor, output: number[]): void {
  const before = tf.memory().numTensors;
  const y = layer.apply(x);
  expect(tf.memory().numTensors).toBe(before + 1);
  const expected = tf.tensor(output);
  expect(y.shape).toEqual(expected.shape);
  expect(tf.tidy(() => tf.max(tf.abs(tf.sub(y, expected))).dataSync()[0])).toBeLessThan(1e-5);
  expect(layer.apply(Input(x.shape.slice(1))).shape).toEqual([null, ...y.shape.slice(1)]);
  tf.dispose([y, expected]);
}

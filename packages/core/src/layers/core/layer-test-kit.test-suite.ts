/**
 * Shared checks for the layer tests of the core, activations, reshaping and merging
 * groups: numeric closeness, config round trips through the Keras (snake_case, JSON)
 * form, and tensor-leak accounting. Not a test file itself.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { configToCamel } from '../../utils/config-case.js';
import type { Layer } from '../../engine/layer.js';
import { layerFromConfig } from '../../engine/registry.js';

/** Nested number arrays, as `tensor.arraySync()` returns. */
export type Nested = number | boolean | Nested[];

/** Expects `actual` to have `expected`'s shape and values within `tol`. */
export function expectClose(actual: tf.Tensor, expected: Nested, tol = 1e-5): void {
  const want = tf.tensor(expected as number[]);
  try {
    expect(actual.shape).toEqual(want.shape);
    const got = actual.dataSync();
    const ref = want.dataSync();
    for (let i = 0; i < ref.length; i++) {
      if (!(Math.abs(Number(got[i]) - Number(ref[i])) <= tol)) {
        throw new Error(
          `value ${i}: got ${got[i]}, expected ${ref[i]} (tolerance ${tol}); all: ${JSON.stringify(actual.arraySync())}`,
        );
      }
    }
  } finally {
    want.dispose();
  }
}

/**
 * Saves the layer's config the way a model file does (Keras snake_case, through JSON),
 * rebuilds it by class name from the registry and expects an equal config; returns the copy.
 */
export function expectConfigRoundTrip(layer: Layer): Layer {
  const saved = JSON.parse(JSON.stringify(layer.kerasConfig())) as Record<string, unknown>;
  const copy = layerFromConfig(layer.className, configToCamel(saved));
  expect(copy.constructor).toBe(layer.constructor);
  expect(copy.kerasConfig()).toEqual(layer.kerasConfig());
  return copy;
}

/**
 * Runs `fn` (which returns the tensors it created for the caller) and expects no other
 * tensor to stay alive; disposes the returned tensors.
 */
export function expectNoLeaks(fn: () => tf.Tensor | tf.Tensor[]): void {
  const before = tf.memory().numTensors;
  const out = fn();
  const list = Array.isArray(out) ? out : [out];
  const fresh = new Set(list.map((t) => t.id)).size;
  expect(tf.memory().numTensors - before).toBe(fresh);
  tf.dispose(list);
}

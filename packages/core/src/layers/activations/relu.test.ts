import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Sequential } from '../../engine/sequential.js';
import { expectClose, expectConfigRoundTrip, expectNoLeaks } from '../core/layer-test-kit.test-suite.js';
import { ReLU } from './relu.js';

const X = [-10, -5, 0, 5, 10];

function run(layer: ReLU, values: number[]): number[] {
  const x = tf.tensor([values]);
  const y = layer.apply(x);
  const out = (y.arraySync() as number[][])[0]!;
  tf.dispose([x, y]);
  return out;
}

describe('ReLU', () => {
  // Expected values are the examples of keras.activations.relu's docstring.
  it('matches Keras for default, negativeSlope, maxValue and threshold', () => {
    expect(run(new ReLU(), X)).toEqual([0, 0, 0, 5, 10]);
    expect(run(new ReLU({ negativeSlope: 0.5 }), X)).toEqual([-5, -2.5, 0, 5, 10]);
    expect(run(new ReLU({ maxValue: 5 }), X)).toEqual([0, 0, 0, 5, 5]);
    expect(run(new ReLU({ threshold: 5 }), X).map((v) => v + 0)).toEqual([0, 0, 0, 0, 10]);
    // slope 0.5 below threshold 2, capped at 6: 0.5 * (x - 2) for x ≤ 2.
    expect(run(new ReLU({ negativeSlope: 0.5, threshold: 2, maxValue: 6 }), [-2, 1, 2, 3, 8])).toEqual([
      -2, -0.5, 0, 3, 6,
    ]);
    expect(run(new ReLU({ maxValue: 6 }), [-1, 3, 7])).toEqual([0, 3, 6]);
  });

  it('does not leak tensors', () => {
    const x = tf.tensor([X]);
    for (const layer of [new ReLU(), new ReLU({ negativeSlope: 0.1, threshold: 1, maxValue: 4 })]) {
      expectNoLeaks(() => layer.apply(x));
    }
    x.dispose();
  });

  it('has Keras defaults and config keys; round-trips', () => {
    const layer = new ReLU();
    expect(Object.keys(layer.kerasConfig())).toEqual([
      'name',
      'trainable',
      'dtype',
      'max_value',
      'negative_slope',
      'threshold',
    ]);
    expect(layer.kerasConfig()).toMatchObject({ max_value: null, negative_slope: 0, threshold: 0 });
    expectConfigRoundTrip(new ReLU({ maxValue: 6, negativeSlope: 0.1, threshold: 0.5 }));
  });

  it('rejects negative arguments, naming the layer', () => {
    expect(() => new ReLU({ name: 'r', maxValue: -1 })).toThrow(/"r" \(ReLU\): maxValue must be null or ≥ 0, got -1/);
    expect(() => new ReLU({ negativeSlope: -0.1 })).toThrow(/negativeSlope must be ≥ 0/);
    expect(() => new ReLU({ threshold: -1 })).toThrow(/threshold must be ≥ 0/);
  });

  it('works in Sequential (symbolic shape kept)', () => {
    const model = new Sequential([Input([2, 2]), new ReLU({ maxValue: 1 })]);
    expect(model.outputs[0]!.shape).toEqual([null, 2, 2]);
    const x = tf.tensor([
      [
        [-1, 0.5],
        [2, 3],
      ],
    ]);
    const y = model.apply(x);
    expectClose(y, [
      [
        [0, 0.5],
        [1, 1],
      ],
    ]);
    tf.dispose([x, y]);
  });
});

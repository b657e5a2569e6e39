import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Sequential } from '../../engine/sequential.js';
import { expectClose, expectConfigRoundTrip, expectNoLeaks } from '../core/layer-test-kit.test-suite.js';
import { Reshape } from './reshape.js';

describe('Reshape', () => {
  it('reshapes the non-batch axes, inferring -1', () => {
    const x = tf.tensor([[1, 2, 3, 4, 5, 6]]);
    expectNoLeaks(() => {
      const y = new Reshape([2, 3]).apply(x);
      expectClose(y, [
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
      ]);
      return y;
    });
    const y = new Reshape([-1, 2]).apply(x);
    expectClose(y, [
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
    ]);
    tf.dispose([x, y]);
  });

  it('has symbolic output shapes (with -1 resolved when the input size is known)', () => {
    expect(new Reshape([3, 4]).apply(Input([12])).shape).toEqual([null, 3, 4]);
    expect(new Reshape([-1, 4]).apply(Input([2, 6])).shape).toEqual([null, 3, 4]);
    expect(new Reshape([-1, 4]).apply(Input([null, 4])).shape).toEqual([null, null, 4]);
  });

  it('names the layer and the shapes when sizes cannot match', () => {
    expect(() => new Reshape([5], { name: 'rs' }).apply(Input([6]))).toThrow(
      /"rs" \(Reshape\): cannot reshape input of shape \(None, 6\).*\(5,\)/,
    );
    expect(() => new Reshape([-1, 4]).apply(Input([6]))).toThrow(/cannot reshape/);
    const layer = new Reshape([-1, 2]);
    const odd = tf.ones([1, 3]);
    expect(() => layer.apply(odd)).toThrow(/cannot reshape input of shape \(1, 3\)/);
    odd.dispose();
    expect(() => new Reshape([-1, -1])).toThrow(/-1 only once/);
    expect(() => new Reshape([0, 2])).toThrow(/positive integers/);
  });

  it('has Keras config keys and round-trips', () => {
    const layer = new Reshape([2, -1]);
    expect(Object.keys(layer.kerasConfig())).toEqual(['name', 'trainable', 'dtype', 'target_shape']);
    expect(layer.kerasConfig()['target_shape']).toEqual([2, -1]);
    expectConfigRoundTrip(layer);
  });

  it('works in Sequential', () => {
    const model = new Sequential([Input([4]), new Reshape([2, 2])]);
    const x = tf.tensor([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]);
    const y = model.apply(x);
    expectClose(y, [
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
    ]);
    tf.dispose([x, y]);
  });
});

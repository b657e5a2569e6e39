import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Model } from '../../engine/model.js';
import { expectClose, expectConfigRoundTrip, expectNoLeaks } from '../core/layer-test-kit.test-suite.js';
import { Permute } from './permute.js';

describe('Permute', () => {
  it('permutes the non-batch axes', () => {
    const x = tf.tensor([
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
    ]);
    expectNoLeaks(() => {
      const y = new Permute([2, 1]).apply(x);
      expectClose(y, [
        [
          [1, 4],
          [2, 5],
          [3, 6],
        ],
      ]);
      return y;
    });
    x.dispose();
    expect(new Permute([3, 1, 2]).apply(Input([2, 3, 4])).shape).toEqual([null, 4, 2, 3]);
  });

  it('validates dims and input rank, naming the layer', () => {
    expect(() => new Permute([0, 1], { name: 'pm' })).toThrow(/"pm" \(Permute\): dims must be a permutation.*\[0,1\]/);
    expect(() => new Permute([1, 3])).toThrow(/permutation/);
    expect(() => new Permute([2, 1]).apply(Input([2, 3, 4]))).toThrow(
      /expected input of rank 3, got shape \(None, 2, 3, 4\)/,
    );
  });

  it('has Keras config keys, round-trips and works in a Model', () => {
    const layer = new Permute([2, 1]);
    expect(Object.keys(layer.kerasConfig())).toEqual(['name', 'trainable', 'dtype', 'dims']);
    expectConfigRoundTrip(layer);
    const input = Input([2, 3]);
    const model = new Model({ inputs: input, outputs: new Permute([2, 1]).apply(input) });
    const x = tf.ones([4, 2, 3]);
    const y = model.apply(x);
    expect(y.shape).toEqual([4, 3, 2]);
    tf.dispose([x, y]);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Model } from '../../engine/model.js';
import { expectClose, expectConfigRoundTrip, expectNoLeaks } from '../core/layer-test-kit.test-suite.js';
import { Cropping3D } from './cropping3d.js';

describe('Cropping3D', () => {
  it('crops the three spatial axes (Keras default 1 on every side)', () => {
    expect(new Cropping3D().cropping).toEqual([
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    const x = tf.reshape(tf.range(0, 27), [1, 3, 3, 3, 1]);
    expectNoLeaks(() => {
      const y = new Cropping3D().apply(x);
      expectClose(y, [[[[[13]]]]]);
      return y;
    });
    const y = new Cropping3D({
      cropping: [
        [2, 0],
        [0, 2],
        [1, 1],
      ],
    }).apply(x);
    expectClose(y, [[[[[19]]]]]); // index (2, 0, 1) = 18 + 0 + 1
    tf.dispose([x, y]);
  });

  it('has symbolic shapes, Keras config keys; round-trips; errors name the layer and shape', () => {
    expect(new Cropping3D({ cropping: [1, 0, 2] }).apply(Input([4, 4, 5, 2])).shape).toEqual([null, 2, 4, 1, 2]);
    const layer = new Cropping3D();
    expect(Object.keys(layer.kerasConfig())).toEqual(['name', 'trainable', 'dtype', 'cropping', 'data_format']);
    expectConfigRoundTrip(
      new Cropping3D({
        cropping: [
          [0, 1],
          [1, 0],
          [0, 0],
        ],
        dataFormat: 'channels_first',
      }),
    );
    expect(() => new Cropping3D({ name: 'c3' }).apply(Input([2, 5, 5, 1]))).toThrow(
      /"c3" \(Cropping3D\).*\(None, 2, 5, 5, 1\)/,
    );
  });

  it('works in a Model', () => {
    const input = Input([3, 3, 3, 1]);
    const model = new Model({ inputs: input, outputs: new Cropping3D({ cropping: 1 }).apply(input) });
    const x = tf.ones([2, 3, 3, 3, 1]);
    const y = model.apply(x);
    expect(y.shape).toEqual([2, 1, 1, 1, 1]);
    tf.dispose([x, y]);
  });
});

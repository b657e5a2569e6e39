import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Model } from '../../engine/model.js';
import { expectClose, expectConfigRoundTrip, expectNoLeaks } from '../core/layer-test-kit.test-suite.js';
import { Cropping2D } from './cropping2d.js';

// 3x3 single-channel image with values 1..9.
const IMAGE = [
  [
    [[1], [2], [3]],
    [[4], [5], [6]],
    [[7], [8], [9]],
  ],
];

describe('Cropping2D', () => {
  it('crops rows and columns ([[top, bottom], [left, right]])', () => {
    const x = tf.tensor(IMAGE);
    expectNoLeaks(() => {
      const y = new Cropping2D({
        cropping: [
          [1, 0],
          [0, 1],
        ],
      }).apply(x);
      expectClose(y, [
        [
          [[4], [5]],
          [[7], [8]],
        ],
      ]);
      return y;
    });
    const same = new Cropping2D().apply(x);
    expectClose(same, IMAGE);
    const sym = new Cropping2D({ cropping: 1 }).apply(x);
    expectClose(sym, [[[[5]]]]);
    const cf = tf.reshape(x, [1, 1, 3, 3]);
    const ycf = new Cropping2D({
      cropping: [
        [0, 1],
        [1, 0],
      ],
      dataFormat: 'channels_first',
    }).apply(cf);
    expectClose(ycf, [
      [
        [
          [2, 3],
          [5, 6],
        ],
      ],
    ]);
    tf.dispose([x, same, sym, cf, ycf]);
  });

  it('has symbolic shapes, Keras defaults and config keys; round-trips', () => {
    expect(new Cropping2D({ cropping: [1, 2] }).apply(Input([8, 9, 3])).shape).toEqual([null, 6, 5, 3]);
    const layer = new Cropping2D();
    expect(Object.keys(layer.kerasConfig())).toEqual(['name', 'trainable', 'dtype', 'cropping', 'data_format']);
    expect(layer.kerasConfig()).toMatchObject({
      cropping: [
        [0, 0],
        [0, 0],
      ],
      data_format: 'channels_last',
    });
    expectConfigRoundTrip(
      new Cropping2D({
        cropping: [
          [1, 2],
          [3, 4],
        ],
      }),
    );
  });

  it('rejects cropping larger than the image, naming the layer and shape', () => {
    expect(() =>
      new Cropping2D({
        cropping: [
          [2, 1],
          [0, 0],
        ],
        name: 'c2',
      }).apply(Input([3, 5, 1])),
    ).toThrow(/"c2" \(Cropping2D\).*\(None, 3, 5, 1\)/);
    expect(() => new Cropping2D({ cropping: -1 })).toThrow(/cropping must be/);
  });

  it('works in a Model', () => {
    const input = Input([3, 3, 1]);
    const model = new Model({
      inputs: input,
      outputs: new Cropping2D({
        cropping: [
          [0, 2],
          [2, 0],
        ],
      }).apply(input),
    });
    const x = tf.tensor(IMAGE);
    const y = model.apply(x);
    expectClose(y, [[[[3]]]]);
    tf.dispose([x, y]);
  });
});

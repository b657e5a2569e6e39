import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Model } from '../../engine/model.js';
import { expectClose, expectConfigRoundTrip, expectNoLeaks } from '../core/layer-test-kit.test-suite.js';
import { ZeroPadding2D } from './zero-padding2d.js';

describe('ZeroPadding2D', () => {
  it('normalizes padding as Keras: int, [h, w], [[top, bottom], [left, right]]', () => {
    expect(new ZeroPadding2D().padding).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expect(new ZeroPadding2D({ padding: 2 }).padding).toEqual([
      [2, 2],
      [2, 2],
    ]);
    expect(new ZeroPadding2D({ padding: [1, 2] }).padding).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(
      new ZeroPadding2D({
        padding: [
          [0, 1],
          [2, 0],
        ],
      }).padding,
    ).toEqual([
      [0, 1],
      [2, 0],
    ]);
    expect(() => new ZeroPadding2D({ padding: [1, 2, 3], name: 'zp2' })).toThrow(
      /"zp2" \(ZeroPadding2D\): padding must be/,
    );
    expect(
      () =>
        new ZeroPadding2D({
          padding: [
            [1, -1],
            [0, 0],
          ],
        }),
    ).toThrow(/1st entry of padding/);
  });

  it('pads rows and columns (channels_last and channels_first)', () => {
    const x = tf.tensor([[[[1], [2]]]]); // (1, 1, 2, 1)
    expectNoLeaks(() => {
      const y = new ZeroPadding2D({
        padding: [
          [1, 0],
          [0, 1],
        ],
      }).apply(x);
      expectClose(y, [
        [
          [[0], [0], [0]],
          [[1], [2], [0]],
        ],
      ]);
      return y;
    });
    const cf = tf.tensor([[[[1, 2]]]]); // (1, C=1, 1, 2)
    const y = new ZeroPadding2D({
      padding: [
        [0, 1],
        [1, 0],
      ],
      dataFormat: 'channels_first',
    }).apply(cf);
    expectClose(y, [
      [
        [
          [0, 1, 2],
          [0, 0, 0],
        ],
      ],
    ]);
    tf.dispose([x, cf, y]);
  });

  it('has symbolic shapes, Keras config keys and round-trips; works in a Model', () => {
    const input = Input([4, 5, 3]);
    const out = new ZeroPadding2D({
      padding: [
        [1, 2],
        [3, 4],
      ],
    }).apply(input);
    expect(out.shape).toEqual([null, 7, 12, 3]);
    const layer = new ZeroPadding2D();
    expect(Object.keys(layer.kerasConfig())).toEqual(['name', 'trainable', 'dtype', 'padding', 'data_format']);
    expect(layer.kerasConfig()['padding']).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expectConfigRoundTrip(
      new ZeroPadding2D({
        padding: [
          [0, 1],
          [2, 3],
        ],
        dataFormat: 'channels_first',
      }),
    );
    const model = new Model({ inputs: input, outputs: out });
    const x = tf.ones([1, 4, 5, 3]);
    const y = model.apply(x);
    expect(y.shape).toEqual([1, 7, 12, 3]);
    expect(tf.sum(y).dataSync()[0]).toBe(60);
    tf.dispose([x, y]);
  });
});

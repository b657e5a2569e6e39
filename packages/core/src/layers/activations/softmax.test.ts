import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Sequential } from '../../engine/sequential.js';
import { expectClose, expectConfigRoundTrip, expectNoLeaks } from '../core/layer-test-kit.test-suite.js';
import { Softmax } from './softmax.js';

describe('Softmax', () => {
  it('normalizes over the last axis by default (hand-computed)', () => {
    const x = tf.tensor([[1, 2, 3]]);
    expectNoLeaks(() => {
      const y = new Softmax().apply(x);
      expectClose(y, [[0.09003057, 0.24472847, 0.66524096]]);
      return y;
    });
    x.dispose();
  });

  it('normalizes over another axis and over several axes', () => {
    const x = tf.tensor([
      [
        [1, 1],
        [2, 3],
      ],
    ]);
    expectNoLeaks(() => {
      const y = new Softmax({ axis: 1 }).apply(x);
      expectClose(y, [
        [
          [0.26894142, 0.11920292],
          [0.73105858, 0.88079708],
        ],
      ]);
      return y;
    });
    expectNoLeaks(() => {
      const y = new Softmax({ axis: [1, 2] }).apply(x);
      // exp([1, 1, 2, 3]) / sum
      expectClose(y, [
        [
          [0.08259454, 0.08259454],
          [0.22451524, 0.61029569],
        ],
      ]);
      return y;
    });
    x.dispose();
  });

  it('gives masked positions probability 0 (mask broadcast from the right, as Keras)', () => {
    const x = tf.tensor([
      [1, 2, 3],
      [1, 1, 1],
    ]);
    const mask = tf.tensor(
      [
        [true, true, false],
        [false, false, false],
      ],
      undefined,
      'bool',
    );
    const layer = new Softmax();
    const y = layer.apply(x, { mask });
    // Fully masked rows become 0, not uniform.
    expectClose(y, [
      [0.26894142, 0.73105858, 0],
      [0, 0, 0],
    ]);
    const rowMask = tf.tensor([1, 0, 1]); // numeric masks: kept where > 0.5
    const y2 = layer.apply(x, { mask: rowMask });
    expectClose(y2, [
      [0.11920292, 0, 0.88079708],
      [0.5, 0, 0.5],
    ]);
    const bad = tf.tensor([[true, false]], undefined, 'bool');
    expect(() => layer.apply(x, { mask: bad })).toThrow(/mask must broadcast.*\(2, 3\).*\(1, 2\)/);
    tf.dispose([x, mask, y, rowMask, y2, bad]);
  });

  it('has Keras defaults and config keys; round-trips', () => {
    const layer = new Softmax();
    expect(Object.keys(layer.kerasConfig())).toEqual(['name', 'trainable', 'dtype', 'axis']);
    expect(layer.kerasConfig()['axis']).toBe(-1);
    expectConfigRoundTrip(new Softmax({ axis: [1, 2] }));
    expect(() => new Softmax({ axis: 1.5 })).toThrow(/axis must be an integer/);
    const x = tf.ones([2, 3]);
    expect(() => new Softmax({ axis: 2, name: 'sm' }).apply(x)).toThrow(
      /"sm" \(Softmax\): axis 2 is out of range for input of shape \(2, 3\)/,
    );
    x.dispose();
  });

  it('works in Sequential', () => {
    const model = new Sequential([Input([2]), new Softmax()]);
    expect(model.outputs[0]!.shape).toEqual([null, 2]);
    const x = tf.tensor([[0, 0]]);
    const y = model.apply(x);
    expectClose(y, [[0.5, 0.5]]);
    tf.dispose([x, y]);
  });
});

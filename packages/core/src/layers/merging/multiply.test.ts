import * as tf from '@tensorflow/tfjs-core';
import { describe, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Model } from '../../engine/model.js';
import { expectClose, expectNoLeaks } from '../core/layer-test-kit.test-suite.js';
import { Multiply } from './multiply.js';

describe('Multiply', () => {
  it('multiplies inputs elementwise', () => {
    const a = tf.tensor([[1, 2, 3]]);
    const b = tf.tensor([[2, 3, 4]]);
    expectNoLeaks(() => {
      const y = new Multiply().apply([a, b, b]);
      expectClose(y, [[4, 18, 48]]);
      return y;
    });
    tf.dispose([a, b]);
  });

  it('treats masked entries as 1, and zeroes positions masked in all inputs (Keras)', () => {
    const a = tf.tensor([[[2], [3], [5]]]);
    const b = tf.tensor([[[7], [11], [13]]]);
    const ma = tf.tensor([[true, false, false]], undefined, 'bool');
    const mb = tf.tensor([[false, true, false]], undefined, 'bool');
    const layer = new Multiply();
    expectNoLeaks(() => {
      const y = layer.apply([a, b], { mask: [ma, mb] });
      // step 0: 2 * 1; step 1: 1 * 11; step 2: masked everywhere → 0
      expectClose(y, [[[2], [11], [0]]]);
      return y;
    });
    // Only one input masked: masked entries count as 1, nothing zeroed.
    const y = layer.apply([a, b], { mask: [ma, null] });
    expectClose(y, [[[14], [11], [13]]]);
    tf.dispose([a, b, ma, mb, y]);
  });

  it('works in a functional Model (gating)', () => {
    const x = Input([3]);
    const gate = Input([3]);
    const model = new Model({ inputs: [x, gate], outputs: new Multiply().apply([x, gate]) });
    const a = tf.tensor([[1, 2, 3]]);
    const g = tf.tensor([[0, 1, 0.5]]);
    const y = model.apply([a, g]);
    expectClose(y, [[0, 2, 1.5]]);
    tf.dispose([a, g, y]);
  });
});

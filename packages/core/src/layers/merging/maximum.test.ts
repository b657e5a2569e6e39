import * as tf from '@tensorflow/tfjs-core';
import { describe, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Model } from '../../engine/model.js';
import { expectClose, expectNoLeaks } from '../core/layer-test-kit.test-suite.js';
import { Maximum } from './maximum.js';

describe('Maximum', () => {
  it('takes the elementwise maximum', () => {
    const a = tf.tensor([[1, 5, -3]]);
    const b = tf.tensor([[2, 4, -4]]);
    expectNoLeaks(() => {
      const y = new Maximum().apply([a, b]);
      expectClose(y, [[2, 5, -3]]);
      return y;
    });
    tf.dispose([a, b]);
  });

  it('lets unmasked values win over masked ones (Keras)', () => {
    const a = tf.tensor([[[9], [1]]]);
    const b = tf.tensor([[[2], [3]]]);
    const ma = tf.tensor([[false, true]], undefined, 'bool');
    const mb = tf.tensor([[true, true]], undefined, 'bool');
    expectNoLeaks(() => {
      const y = new Maximum().apply([a, b], { mask: [ma, mb] });
      // step 0: a is masked, so b's 2 wins over a's 9.
      expectClose(y, [[[2], [3]]]);
      return y;
    });
    tf.dispose([a, b, ma, mb]);
  });

  it('works in a functional Model', () => {
    const a = Input([2]);
    const b = Input([2]);
    const model = new Model({ inputs: [a, b], outputs: new Maximum().apply([a, b]) });
    const x = tf.tensor([[1, 4]]);
    const z = tf.tensor([[3, 2]]);
    const y = model.apply([x, z]);
    expectClose(y, [[3, 4]]);
    tf.dispose([x, z, y]);
  });
});

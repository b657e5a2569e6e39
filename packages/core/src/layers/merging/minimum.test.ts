import * as tf from '@tensorflow/tfjs-core';
import { describe, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Model } from '../../engine/model.js';
import { expectClose, expectNoLeaks } from '../core/layer-test-kit.test-suite.js';
import { Minimum } from './minimum.js';

describe('Minimum', () => {
  it('takes the elementwise minimum', () => {
    const a = tf.tensor([[1, 5, -3]]);
    const b = tf.tensor([[2, 4, -4]]);
    const c = tf.tensor([[0, 9, 9]]);
    expectNoLeaks(() => {
      const y = new Minimum().apply([a, b, c]);
      expectClose(y, [[0, 4, -4]]);
      return y;
    });
    tf.dispose([a, b, c]);
  });

  it('lets unmasked values win over masked ones (Keras)', () => {
    const a = tf.tensor([[[-9], [1]]]);
    const b = tf.tensor([[[2], [3]]]);
    const ma = tf.tensor([[false, true]], undefined, 'bool');
    const mb = tf.tensor([[true, true]], undefined, 'bool');
    expectNoLeaks(() => {
      const y = new Minimum().apply([a, b], { mask: [ma, mb] });
      expectClose(y, [[[2], [1]]]);
      return y;
    });
    tf.dispose([a, b, ma, mb]);
  });

  it('works in a functional Model', () => {
    const a = Input([2]);
    const b = Input([2]);
    const model = new Model({ inputs: [a, b], outputs: new Minimum().apply([a, b]) });
    const x = tf.tensor([[1, 4]]);
    const z = tf.tensor([[3, 2]]);
    const y = model.apply([x, z]);
    expectClose(y, [[1, 2]]);
    tf.dispose([x, z, y]);
  });
});

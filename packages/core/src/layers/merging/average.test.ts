import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Model } from '../../engine/model.js';
import { expectClose, expectNoLeaks } from '../core/layer-test-kit.test-suite.js';
import { Average } from './average.js';

describe('Average', () => {
  it('averages inputs elementwise', () => {
    const a = tf.tensor([[1, 2]]);
    const b = tf.tensor([[3, 6]]);
    const c = tf.tensor([[5, 1]]);
    expectNoLeaks(() => {
      const y = new Average().apply([a, b, c]);
      expectClose(y, [[3, 3]]);
      return y;
    });
    tf.dispose([a, b, c]);
  });

  it('works in a functional Model', () => {
    const a = Input([2]);
    const b = Input([1]);
    const out = new Average().apply([a, b]);
    expect(out.shape).toEqual([null, 2]);
    const model = new Model({ inputs: [a, b], outputs: out });
    const x = tf.tensor([[2, 4]]);
    const z = tf.tensor([[0]]);
    const y = model.apply([x, z]);
    expectClose(y, [[1, 2]]);
    tf.dispose([x, z, y]);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Model } from '../../engine/model.js';
import { expectClose, expectNoLeaks } from '../core/layer-test-kit.test-suite.js';
import { Subtract } from './subtract.js';

describe('Subtract', () => {
  it('computes inputs[0] - inputs[1]', () => {
    const a = tf.tensor([[5, 1]]);
    const b = tf.tensor([[2, 4]]);
    expectNoLeaks(() => {
      const y = new Subtract().apply([a, b]);
      expectClose(y, [[3, -3]]);
      return y;
    });
    tf.dispose([a, b]);
  });

  it('needs exactly two inputs, naming the layer and shapes', () => {
    expect(() => new Subtract({ name: 'diff' }).apply([Input([2]), Input([2]), Input([2])])).toThrow(
      /"diff" \(Subtract\): needs exactly 2 inputs, got 3 with shapes \[\(None, 2\), \(None, 2\), \(None, 2\)\]/,
    );
  });

  it('works in a functional Model', () => {
    const a = Input([2]);
    const b = Input([2]);
    const model = new Model({ inputs: [a, b], outputs: new Subtract().apply([a, b]) });
    const x = tf.tensor([[1, 1]]);
    const z = tf.tensor([[0.5, 2]]);
    const y = model.apply([x, z]);
    expectClose(y, [[0.5, -1]]);
    tf.dispose([x, z, y]);
  });
});

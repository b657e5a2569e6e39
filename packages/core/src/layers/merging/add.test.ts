import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Model } from '../../engine/model.js';
import { Sequential } from '../../engine/sequential.js';
import { Dense } from '../core/dense.js';
import { expectClose, expectNoLeaks } from '../core/layer-test-kit.test-suite.js';
import { Add } from './add.js';

describe('Add', () => {
  it('sums any number of inputs elementwise', () => {
    const a = tf.tensor([[1, 2]]);
    const b = tf.tensor([[10, 20]]);
    const c = tf.tensor([[100, 200]]);
    expectNoLeaks(() => {
      const y = new Add().apply([a, b, c]);
      expectClose(y, [[111, 222]]);
      return y;
    });
    tf.dispose([a, b, c]);
  });

  it('builds a residual block in a functional Model', () => {
    const input = Input([2]);
    const branch = new Dense(2, { kernelInitializer: 'identity', biasInitializer: 'ones' }).apply(input);
    const out = new Add().apply([input, branch]);
    expect(out.shape).toEqual([null, 2]);
    const model = new Model({ inputs: input, outputs: out });
    const x = tf.tensor([[1, 2]]);
    const y = model.apply(x);
    expectClose(y, [[3, 5]]); // x + (x + 1)
    tf.dispose([x, y]);
    model.dispose();
    // A merge layer has several inputs, so it cannot sit in a Sequential stack.
    expect(() => new Sequential([Input([2]), new Add()])).toThrow(/must be called on a list/);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Model } from '../../engine/model.js';
import { Sequential } from '../../engine/sequential.js';
import { expectClose, expectConfigRoundTrip, expectNoLeaks } from '../core/layer-test-kit.test-suite.js';
import { Activation } from './activation.js';

describe('Activation', () => {
  it('applies the named activation (hand-computed)', () => {
    const x = tf.tensor([[-1, 0, 2]]);
    expectNoLeaks(() => {
      const y = new Activation('relu').apply(x);
      expectClose(y, [[0, 0, 2]]);
      return y;
    });
    const sigmoid = new Activation('sigmoid').apply(x);
    expectClose(sigmoid, [[0.26894142, 0.5, 0.88079708]]);
    const softmax = new Activation('softmax').apply(x);
    // exp([-1, 0, 2]) / sum = [0.04201007, 0.11419519, 0.84379473]
    expectClose(softmax, [[0.04201007, 0.11419519, 0.84379473]]);
    tf.dispose([x, sigmoid, softmax]);
  });

  it('has Keras config keys, round-trips and passes masks through', () => {
    const layer = new Activation('tanh');
    expect(Object.keys(layer.kerasConfig())).toEqual(['name', 'trainable', 'dtype', 'activation']);
    expect(layer.kerasConfig()['activation']).toBe('tanh');
    expect(new Activation(null).kerasConfig()['activation']).toBe('linear');
    expectConfigRoundTrip(layer);
    expect(layer.supportsMasking).toBe(true);
  });

  it('works in Model and Sequential', () => {
    const input = Input([2, 3]);
    const out = new Activation('relu').apply(input);
    expect(out.shape).toEqual([null, 2, 3]);
    const model = new Model({ inputs: input, outputs: out });
    const seq = new Sequential([Input([3]), new Activation('linear')]);
    const x = tf.tensor([
      [
        [-1, 1, 2],
        [3, -4, 0],
      ],
    ]);
    const y = model.apply(x);
    expectClose(y, [
      [
        [0, 1, 2],
        [3, 0, 0],
      ],
    ]);
    const x2 = tf.tensor([[1, 2, 3]]);
    const y2 = seq.apply(x2);
    expectClose(y2, [[1, 2, 3]]);
    tf.dispose([x, y, x2, y2]);
  });

  it('rejects unknown activations, listing valid ones', () => {
    expect(() => new Activation('relux')).toThrow(/Unknown activation "relux"; valid choices: .*relu/);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Model } from '../../engine/model.js';
import { Sequential } from '../../engine/sequential.js';
import { Dense } from './dense.js';
import { Identity } from './identity.js';
import { expectConfigRoundTrip, expectNoLeaks } from './layer-test-kit.test-suite.js';

describe('Identity', () => {
  it('returns its input unchanged, eagerly and symbolically, and passes masks through', () => {
    const layer = new Identity();
    const x = tf.tensor([[1, -2]]);
    let y = x;
    expectNoLeaks(() => {
      y = layer.apply(x);
      expect(y).not.toBe(x);
      expect(y.arraySync()).toEqual([[1, -2]]);
      return y;
    });
    const pair = layer.applyMulti([x, x]);
    expect(pair).toHaveLength(2);
    tf.dispose(pair);
    expect(layer.apply(Input([5, 2])).shape).toEqual([null, 5, 2]);
    expect(layer.supportsMasking).toBe(true);
    const mask = tf.tensor([[true, false]], undefined, 'bool');
    expect(layer.computeMask(x, mask)).toBe(mask);
    tf.dispose([x, mask]);
  });

  it('round-trips its config (only the base keys, as Keras)', () => {
    const layer = new Identity({ name: 'skip' });
    expect(Object.keys(layer.kerasConfig())).toEqual(['name', 'trainable', 'dtype']);
    expectConfigRoundTrip(layer);
  });

  it('works inside Model and Sequential', () => {
    const input = Input([3]);
    const model = new Model({ inputs: input, outputs: new Identity().apply(new Dense(2).apply(input)) });
    const seq = new Sequential([Input([3]), new Identity()]);
    const x = tf.ones([2, 3]);
    const a = model.apply(x);
    const b = seq.apply(x);
    expect(a.shape).toEqual([2, 2]);
    expect(b.arraySync()).toEqual([
      [1, 1, 1],
      [1, 1, 1],
    ]);
    tf.dispose([x, a, b]);
    model.dispose();
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Model } from '../../engine/model.js';
import { Embedding } from '../core/embedding.js';
import { expectClose, expectConfigRoundTrip, expectNoLeaks } from '../core/layer-test-kit.test-suite.js';
import { MaskProbe } from '../mask-probe.test-suite.js';
import { Concatenate } from './concatenate.js';

describe('Concatenate', () => {
  it('joins inputs along the last axis by default, or another axis', () => {
    const a = tf.tensor([[[1, 2]], [[3, 4]]]); // (2, 1, 2)
    const b = tf.tensor([[[5]], [[6]]]); // (2, 1, 1)
    expectNoLeaks(() => {
      const y = new Concatenate().apply([a, b]);
      expectClose(y, [[[1, 2, 5]], [[3, 4, 6]]]);
      return y;
    });
    expectNoLeaks(() => {
      const y = new Concatenate({ axis: 1 }).apply([a, a]);
      expectClose(y, [
        [
          [1, 2],
          [1, 2],
        ],
        [
          [3, 4],
          [3, 4],
        ],
      ]);
      return y;
    });
    tf.dispose([a, b]);
  });

  it('has symbolic shapes (unknown sizes allowed off the concatenation axis)', () => {
    expect(new Concatenate().apply([Input([4, 3]), Input([4, 5])]).shape).toEqual([null, 4, 8]);
    expect(new Concatenate({ axis: 1 }).apply([Input([2, 3]), Input([5, 3])]).shape).toEqual([null, 7, 3]);
    expect(new Concatenate().apply([Input([null, 3]), Input([4, 2])]).shape).toEqual([null, 4, 5]);
  });

  it('names the layer and the shapes when non-concatenation axes differ', () => {
    expect(() => new Concatenate({ name: 'cat' }).apply([Input([2, 3]), Input([4, 5])])).toThrow(
      /"cat" \(Concatenate\): inputs must have the same shape except on the concatenation axis \(axis=-1\); got shapes \[\(None, 2, 3\), \(None, 4, 5\)\]/,
    );
    expect(() => new Concatenate().apply([Input([2, 3]), Input([3])])).toThrow(/same shape except/);
    expect(() => new Concatenate({ axis: 3 }).apply([Input([2]), Input([2])])).toThrow(/axis 3 is out of range/);
    expect(() => new Concatenate().apply(Input([2]))).toThrow(/list of inputs/);
  });

  it('has Keras config keys and round-trips', () => {
    const layer = new Concatenate({ axis: 1 });
    expect(Object.keys(layer.kerasConfig())).toEqual(['name', 'trainable', 'dtype', 'axis']);
    expect(new Concatenate().kerasConfig()['axis']).toBe(-1);
    expectConfigRoundTrip(layer);
  });

  it('concatenates masks along the axis (unmasked inputs count as all-true), reduced over the last axis', () => {
    const layer = new Concatenate({ axis: 1 });
    const a = tf.ones([1, 2, 3]);
    const b = tf.ones([1, 3, 3]);
    const ma = tf.tensor([[true, false]], undefined, 'bool');
    const mask = layer.computeMask([a, b], [ma, null])!;
    expect(mask.arraySync()).toEqual([[1, 0, 1, 1, 1]]);
    expect(layer.computeMask([a, b], [null, null])).toBeNull();
    tf.dispose([a, b, ma, mask]);
  });

  it('propagates Embedding masks through a functional Model', () => {
    const first = Input([2], { dtype: 'int32' });
    const second = Input([3], { dtype: 'int32' });
    const embed = new Embedding(5, 2, { maskZero: true });
    const joined = new Concatenate({ axis: 1 }).apply([embed.apply(first), embed.apply(second)]);
    expect(joined.shape).toEqual([null, 5, 2]);
    const probe = new MaskProbe();
    const model = new Model({ inputs: [first, second], outputs: probe.apply(joined) });
    const x1 = tf.tensor([[1, 0]], undefined, 'int32');
    const x2 = tf.tensor([[0, 3, 4]], undefined, 'int32');
    const y = model.apply([x1, x2]);
    expect(y.shape).toEqual([1, 5, 2]);
    expect(probe.seen).toEqual([[1, 0, 0, 1, 1]]);
    tf.dispose([x1, x2, y]);
    model.dispose();
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Model } from '../../engine/model.js';
import { expectClose, expectConfigRoundTrip, expectNoLeaks } from '../core/layer-test-kit.test-suite.js';
import { Dot } from './dot.js';

describe('Dot', () => {
  it('computes per-sample dot products of vectors: (batch, d) · (batch, d) → (batch, 1)', () => {
    const a = tf.tensor([
      [1, 2, 3],
      [1, 0, 0],
    ]);
    const b = tf.tensor([
      [4, 5, 6],
      [0, 1, 0],
    ]);
    expectNoLeaks(() => {
      const y = new Dot(1).apply([a, b]);
      expectClose(y, [[32], [0]]);
      return y;
    });
    expect(new Dot(-1).apply([Input([3]), Input([3])]).shape).toEqual([null, 1]);
    tf.dispose([a, b]);
  });

  it('contracts the given axes of higher-rank inputs (attention scores), as Keras batch_dot', () => {
    // q: (1, 2, 2), k: (1, 3, 2); axes 2 → scores (1, 2, 3) = q · kᵀ per sample.
    const q = tf.tensor([
      [
        [1, 0],
        [0, 2],
      ],
    ]);
    const k = tf.tensor([
      [
        [1, 1],
        [2, 0],
        [0, 3],
      ],
    ]);
    const y = new Dot(2).apply([q, k]);
    expectClose(y, [
      [
        [1, 2, 0],
        [2, 0, 6],
      ],
    ]);
    // axes [1, 1]: (1, 2, 2) and (1, 2, 3) → (1, 2, 3) = qᵀ · v.
    const v = tf.tensor([
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
    ]);
    const z = new Dot([1, 1]).apply([q, v]);
    expectClose(z, [
      [
        [1, 2, 3],
        [8, 10, 12],
      ],
    ]);
    // (batch, n, d) · (batch, d) → (batch, n)
    const w = tf.tensor([[1, -1]]);
    const m = new Dot([2, 1]).apply([k, w]);
    expectClose(m, [[0, 2, -3]]);
    expect(new Dot(2).apply([Input([4, 8]), Input([5, 8])]).shape).toEqual([null, 4, 5]);
    expect(new Dot([2, 1]).apply([Input([4, 8]), Input([8])]).shape).toEqual([null, 4]);
    tf.dispose([q, k, y, v, z, w, m]);
  });

  it('gives cosine similarity with normalize', () => {
    const a = tf.tensor([[3, 4]]);
    const b = tf.tensor([[4, 3]]);
    const y = new Dot(1, { normalize: true }).apply([a, b]);
    expectClose(y, [[24 / 25]]);
    tf.dispose([a, b, y]);
  });

  it('names the layer and the shapes on mismatched axes; validates axes', () => {
    expect(() => new Dot(1, { name: 'sim' }).apply([Input([3]), Input([4])])).toThrow(
      /"sim" \(Dot\): incompatible shapes \[\(None, 3\), \(None, 4\)\]: axis 1 of the first \(3\) and axis 1 of the second \(4\) differ/,
    );
    expect(() => new Dot(0).apply([Input([3]), Input([3])])).toThrow(/batch axis 0/);
    expect(() => new Dot(1).apply([Input([3]), Input([3]), Input([3])])).toThrow(/exactly 2 inputs/);
    expect(() => new Dot([1, 2, 3] as unknown as number)).toThrow(/axes must be an integer or a list of 2 integers/);
  });

  it('has Keras config keys, round-trips, no output mask, and works in a Model', () => {
    const layer = new Dot([2, 2], { normalize: true });
    expect(Object.keys(layer.kerasConfig())).toEqual(['name', 'trainable', 'dtype', 'axes', 'normalize']);
    expect(new Dot(1).kerasConfig()).toMatchObject({ axes: 1, normalize: false });
    expectConfigRoundTrip(layer);
    expect(layer.computeMask()).toBeNull();
    const a = Input([2]);
    const b = Input([2]);
    const model = new Model({ inputs: [a, b], outputs: new Dot(1).apply([a, b]) });
    const x = tf.tensor([[1, 2]]);
    const y = model.apply([x, x]);
    expectClose(y, [[5]]);
    tf.dispose([x, y]);
  });
});

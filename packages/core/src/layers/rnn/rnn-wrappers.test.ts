/**
 * Masking, stateful carry, initial states, Bidirectional and TimeDistributed, as Keras 3.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Input } from '../../engine/input-layer.js';
import { Model } from '../../engine/model.js';
import { Dense } from '../core/dense.js';
import { Embedding } from '../core/embedding.js';
import { Masking } from '../core/masking.js';
import { Bidirectional } from './bidirectional.js';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import { SimpleRNN } from './simple-rnn.js';
import { TimeDistributed } from './time-distributed.js';

const close = (a: tf.Tensor, b: tf.Tensor, tolerance = 1e-5): void => {
  expect(a.shape).toEqual(b.shape);
  expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(tolerance);
};

describe('masking', () => {
  it('masked steps (all features = maskValue) keep the previous output and state: trailing padding does not change the result', () => {
    const input = Input([5, 3]);
    const lstm = new LSTM(4, { returnSequences: true });
    const model = new Model({ inputs: input, outputs: lstm.apply(new Masking().apply(input)) });
    const data = tf.randomNormal([2, 3, 3], 0, 1, 'float32', 4);
    const padded = tf.concat([data, tf.zeros([2, 2, 3])], 1);
    const seq = model.apply(padded) as tf.Tensor;
    const short = lstm.apply(data) as tf.Tensor;
    close(tf.slice(seq, [0, 0, 0], [2, 3, 4]), short);
    // Padded steps repeat the last real output.
    close(tf.slice(seq, [0, 4, 0], [2, 1, 4]), tf.slice(short, [0, 2, 0], [2, 1, 4]));
  });

  it('Embedding({maskZero}) masks token 0 for a GRU: leading padding gives the same final output as no padding', () => {
    const input = Input([6], { dtype: 'int32' });
    const embedding = new Embedding(10, 4, { maskZero: true });
    const gru = new GRU(3);
    const model = new Model({ inputs: input, outputs: gru.apply(embedding.apply(input)) });
    const out = model.apply(tf.tensor2d([[0, 0, 0, 5, 2, 7]], [1, 6], 'int32')) as tf.Tensor;
    const unpadded = gru.apply(embedding.apply(tf.tensor2d([[5, 2, 7]], [1, 3], 'int32'))) as tf.Tensor;
    close(out, unpadded);
  });
});

describe('states', () => {
  it('stateful layers carry the final state into the next call; resetStates clears it', () => {
    const layer = new SimpleRNN(3, { stateful: true });
    const x = tf.randomNormal([2, 4, 2], 0, 1, 'float32', 9);
    const first = layer.apply(x);
    const second = layer.apply(x);
    expect(tf.max(tf.abs(tf.sub(first, second))).dataSync()[0]).toBeGreaterThan(1e-4);
    layer.resetStates();
    close(layer.apply(x), first);
    // Carrying equals running the two halves back to back.
    const whole = new SimpleRNN(3);
    whole.maybeBuild([2, 8, 2]);
    whole.setWeights(layer.getWeights());
    close(whole.apply(tf.concat([x, x], 1)), second);
  });

  it('initialState given symbolically is used by a functional model', () => {
    const x = Input([4, 2]);
    const h = Input([3]);
    const c = Input([3]);
    const lstm = new LSTM(3);
    const model = new Model({ inputs: [x, h, c], outputs: lstm.apply(x, { initialState: [h, c] }) });
    const data = tf.randomNormal([2, 4, 2], 0, 1, 'float32', 3);
    const hs = tf.randomNormal([2, 3], 0, 1, 'float32', 4);
    const cs = tf.randomNormal([2, 3], 0, 1, 'float32', 5);
    close(model.apply([data, hs, cs]) as tf.Tensor, lstm.apply(data, { initialState: [hs, cs] }));
    expect(() => lstm.apply(data, { initialState: [hs] })).toThrow(/expected 2 initial state\(s\), got 1/);
  });
});

describe('Bidirectional', () => {
  it('concatenates the forward output with the backward one flipped back in time (returnSequences)', () => {
    const bi = new Bidirectional(new LSTM(3, { returnSequences: true }));
    const x = tf.randomNormal([2, 5, 4], 0, 1, 'float32', 1);
    const out = bi.apply(x);
    expect(out.shape).toEqual([2, 5, 6]);
    expect(bi.forwardLayer.name).toMatch(/^forward_lstm/);
    expect(bi.backwardLayer.goBackwards).toBe(true);
    const forward = bi.forwardLayer.apply(x);
    const backward = tf.reverse(bi.backwardLayer.apply(x), 1);
    close(out, tf.concat([forward, backward], -1));
    expect(bi.weights).toHaveLength(6);
  });

  it('merge modes sum/mul/ave/None and returnState (output, forward h, c, backward h, c)', () => {
    const x = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 2);
    for (const mergeMode of ['sum', 'mul', 'ave'] as const) {
      expect(new Bidirectional(new GRU(2), { mergeMode }).apply(x).shape).toEqual([2, 2]);
    }
    expect(new Bidirectional(new GRU(2), { mergeMode: null }).applyMulti(x)).toHaveLength(2);
    const withState = new Bidirectional(new LSTM(2, { returnState: true })).applyMulti(x);
    expect(withState.map((t) => t.shape)).toEqual([
      [2, 4],
      [2, 2],
      [2, 2],
      [2, 2],
      [2, 2],
    ]);
    expect(() => new Bidirectional(new LSTM(2), { mergeMode: 'max' as 'sum' })).toThrow(
      /valid choices: concat, sum, mul, ave, null/,
    );
  });
});

describe('TimeDistributed', () => {
  it('applies the same Dense to every time step', () => {
    const dense = new Dense(2);
    const wrapper = new TimeDistributed(dense);
    const x = tf.randomNormal([3, 4, 5], 0, 1, 'float32', 6);
    const out = wrapper.apply(x);
    expect(out.shape).toEqual([3, 4, 2]);
    for (let t = 0; t < 4; t++)
      close(
        tf.squeeze(tf.slice(out, [0, t, 0], [3, 1, 2]), [1]),
        dense.apply(tf.squeeze(tf.slice(x, [0, t, 0], [3, 1, 5]), [1])),
      );
    expect(wrapper.computeOutputShape([null, 7, 5])).toEqual([null, 7, 2]);
    expect(() => new TimeDistributed(new Dense(2)).apply(Input([5]))).toThrow(/rank/);
  });
});

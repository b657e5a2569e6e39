/**
 * `predict` is typed by the model's outputs (issue 11): one output tensor gives a `tf.Tensor`,
 * a list of outputs a `tf.Tensor[]`, with no cast; the runtime returns exactly that.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { Input, Model, Sequential, layers, type PredictOutput } from '../index.js';

describe('predict is typed by the number of outputs', () => {
  it('single output (functional and Sequential): a tf.Tensor; a list of outputs: a tf.Tensor[]', () => {
    const x = tf.ones([2, 3]);
    const input = Input([3]);
    const single = new Model(input, new layers.Dense(2).apply(input));
    const pair = new Model(input, [new layers.Dense(1).apply(input), new layers.Dense(4).apply(input)]);
    const listOfOne = new Model({ inputs: input, outputs: [new layers.Dense(5).apply(input)] });
    const seq = new Sequential([Input([3]), new layers.Dense(6)]);

    const y1 = single.predict(x, { verbose: 0 });
    const y2 = pair.predict(x, { verbose: 0 });
    const y3 = listOfOne.predict(x, { verbose: 0 });
    const y4 = seq.predict(x, { verbose: 0 });
    expectTypeOf(y1).toEqualTypeOf<tf.Tensor>();
    expectTypeOf(y2).toEqualTypeOf<tf.Tensor[]>();
    expectTypeOf(y3).toEqualTypeOf<tf.Tensor[]>();
    expectTypeOf(y4).toEqualTypeOf<tf.Tensor>();
    expectTypeOf(seq.predictOnBatch(x)).toEqualTypeOf<tf.Tensor>();
    // A model whose outputs the compiler does not know (e.g. from loadModel) says so.
    expectTypeOf<PredictOutput<Model['outputs'][number] | Model['outputs']>>().toEqualTypeOf<tf.Tensor | tf.Tensor[]>();

    expect(y1).toBeInstanceOf(tf.Tensor);
    expect(y1.shape).toEqual([2, 2]);
    expect(y2.map((t) => t.shape)).toEqual([
      [2, 1],
      [2, 4],
    ]);
    expect(y3.map((t) => t.shape)).toEqual([[2, 5]]);
    expect(y4.shape).toEqual([2, 6]);
    tf.dispose([x, y1, ...y2, ...y3, y4]);
    for (const model of [single, pair, listOfOne, seq]) model.dispose();
  });
});

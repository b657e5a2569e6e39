import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose, expectConfigRoundTrip } from '../core/layer-test-kit.test-suite.js';
import { IntegerLookup } from './integer-lookup.js';

// Expected values are the examples of Keras 3's IntegerLookup docstring.
const VOCAB = [12, 36, 1138, 42];

function run(layer: IntegerLookup, data: number[] | number[][]): tf.Tensor {
  const input = tf.tensor(data, undefined, 'int32');
  const out = layer.apply(input);
  input.dispose();
  return out;
}

describe('IntegerLookup', () => {
  it('maps integers to indices; several OOV indices by floormod', () => {
    const data = [
      [12, 1138, 42],
      [42, 1000, 36],
    ];
    const out = run(new IntegerLookup({ vocabulary: VOCAB }), data);
    expect(out.dtype).toBe('int32');
    expect(out.arraySync()).toEqual([
      [1, 3, 4],
      [4, 0, 2],
    ]);
    const two = run(new IntegerLookup({ vocabulary: VOCAB, numOovIndices: 2 }), [
      [12, 1138, 42],
      [37, 1000, 36],
    ]);
    expect(two.arraySync()).toEqual([
      [2, 4, 5],
      [1, 0, 3],
    ]);
    tf.dispose([out, two]);
  });

  it('adapts like Keras: count, then token, descending', async () => {
    const data = [
      [12, 1138, 42],
      [42, 1000, 36],
    ];
    const layer = new IntegerLookup();
    await layer.adapt(data);
    expect(layer.getVocabulary()).toEqual([-1, 42, 1138, 1000, 36, 12]);
    const out = run(layer, data);
    expect(out.arraySync()).toEqual([
      [5, 2, 1],
      [1, 3, 4],
    ]);
    out.dispose();
  });

  it('encodes one_hot / multi_hot / count, and inverts', () => {
    const oneHot = run(new IntegerLookup({ vocabulary: VOCAB, outputMode: 'one_hot' }), [12, 36, 1138, 42, 7]);
    expectClose(oneHot, [
      [0, 1, 0, 0, 0],
      [0, 0, 1, 0, 0],
      [0, 0, 0, 1, 0],
      [0, 0, 0, 0, 1],
      [1, 0, 0, 0, 0],
    ]);
    const data = [
      [12, 1138, 42, 42],
      [42, 7, 36, 7],
    ];
    const multi = run(new IntegerLookup({ vocabulary: VOCAB, outputMode: 'multi_hot' }), data);
    expectClose(multi, [
      [0, 1, 0, 1, 1],
      [1, 0, 1, 0, 1],
    ]);
    const count = run(new IntegerLookup({ vocabulary: VOCAB, outputMode: 'count' }), data);
    expectClose(count, [
      [0, 1, 0, 1, 2],
      [2, 0, 1, 0, 1],
    ]);
    const inverted = run(new IntegerLookup({ vocabulary: VOCAB, invert: true }), [
      [1, 3, 4],
      [4, 0, 2],
    ]);
    expect(inverted.arraySync()).toEqual([
      [12, 1138, 42],
      [42, -1, 36],
    ]);
    tf.dispose([oneHot, multi, count, inverted]);
  });

  it('writes vocabulary_dtype and round-trips the config; vocabulary.txt holds integers', async () => {
    const layer = new IntegerLookup({ vocabulary: VOCAB, maskToken: 0 });
    expect(Object.keys(layer.kerasConfig()).slice(9, 14)).toEqual([
      'sparse',
      'pad_to_max_tokens',
      'vocabulary_dtype',
      'idf_weights',
      'vocabulary',
    ]);
    expectConfigRoundTrip(layer);
    const adapted = new IntegerLookup();
    await adapted.adapt([5, 5, 9]);
    const copy = new IntegerLookup();
    copy.loadAssets(adapted.saveAssets());
    expect(copy.getVocabulary()).toEqual([-1, 5, 9]);
    expect(() =>
      new IntegerLookup().loadAssets(new Map([['vocabulary.txt', new TextEncoder().encode('-1\nx')]])),
    ).toThrow(/tokens must be integers, got "x"/);
  });
});

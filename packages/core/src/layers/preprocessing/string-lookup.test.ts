import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { clearSession } from '../../utils/naming.js';
import { expectClose, expectConfigRoundTrip } from '../core/layer-test-kit.test-suite.js';
import { StringLookup } from './string-lookup.js';

// Expected values are the examples of Keras 3's StringLookup docstring.
const VOCAB = ['a', 'b', 'c', 'd'];

function run(layer: StringLookup, data: unknown): tf.Tensor {
  const input = tf.tensor(data as string[]);
  const before = tf.memory().numTensors;
  const out = layer.apply(input);
  expect(tf.memory().numTensors).toBe(before + 1);
  input.dispose();
  return out;
}

describe('StringLookup', () => {
  it('maps a given vocabulary to indices after the OOV index (int32)', () => {
    const out = run(new StringLookup({ vocabulary: VOCAB }), [
      ['a', 'c', 'd'],
      ['d', 'z', 'b'],
    ]);
    expect(out.dtype).toBe('int32');
    expect(out.arraySync()).toEqual([
      [1, 3, 4],
      [4, 0, 2],
    ]);
    out.dispose();
  });

  it('adapts: descending count, ties by descending token', async () => {
    const data = [
      ['a', 'c', 'd'],
      ['d', 'z', 'b'],
    ];
    const layer = new StringLookup();
    await layer.adapt(data);
    expect(layer.getVocabulary()).toEqual(['[UNK]', 'd', 'z', 'c', 'b', 'a']);
    const out = run(layer, data);
    expect(out.arraySync()).toEqual([
      [5, 3, 1],
      [1, 2, 4],
    ]);
    out.dispose();
    // A tensor and an async iterable of batches learn the same vocabulary.
    const fromTensor = new StringLookup();
    const t = tf.tensor(data);
    await fromTensor.adapt(t);
    t.dispose();
    expect(fromTensor.getVocabulary()).toEqual(layer.getVocabulary());
    const fromBatches = new StringLookup({ maxTokens: 3 });
    await fromBatches.adapt(
      (async function* () {
        yield [['a', 'c', 'd']];
        yield [['d', 'z', 'b']];
      })(),
    );
    expect(fromBatches.getVocabulary()).toEqual(['[UNK]', 'd', 'z']);
  });

  it('one_hot, multi_hot, count and tf_idf encodings', () => {
    const oneHot = run(new StringLookup({ vocabulary: VOCAB, outputMode: 'one_hot' }), ['a', 'b', 'c', 'd', 'z']);
    expectClose(oneHot, [
      [0, 1, 0, 0, 0],
      [0, 0, 1, 0, 0],
      [0, 0, 0, 1, 0],
      [0, 0, 0, 0, 1],
      [1, 0, 0, 0, 0],
    ]);
    const data = [
      ['a', 'c', 'd', 'd'],
      ['d', 'z', 'b', 'z'],
    ];
    const multi = run(new StringLookup({ vocabulary: VOCAB, outputMode: 'multi_hot' }), data);
    expectClose(multi, [
      [0, 1, 0, 1, 1],
      [1, 0, 1, 0, 1],
    ]);
    const count = run(new StringLookup({ vocabulary: VOCAB, outputMode: 'count' }), data);
    expectClose(count, [
      [0, 1, 0, 1, 2],
      [2, 0, 1, 0, 1],
    ]);
    const tfidf = new StringLookup({ outputMode: 'tf_idf' });
    tfidf.setVocabulary(VOCAB, [0.25, 0.75, 0.6, 0.4]);
    const weighted = run(tfidf, data);
    expectClose(weighted, [
      [0, 0.25, 0, 0.6, 0.8],
      [1.0, 0, 0.75, 0, 0.4],
    ]);
    const withOov = new StringLookup({ outputMode: 'tf_idf' });
    withOov.setVocabulary(['[UNK]', ...VOCAB], [0.9, 0.25, 0.75, 0.6, 0.4]);
    const weighted2 = run(withOov, data);
    expectClose(weighted2, [
      [0, 0.25, 0, 0.6, 0.8],
      [1.8, 0, 0.75, 0, 0.4],
    ]);
    tf.dispose([oneHot, multi, count, weighted, weighted2]);
  });

  it('inverts indices to strings, unknown indices to the OOV token', () => {
    const layer = new StringLookup({ vocabulary: VOCAB, invert: true });
    const ids = tf.tensor(
      [
        [1, 3, 4],
        [4, 0, 2],
      ],
      undefined,
      'int32',
    );
    const out = layer.apply(ids);
    expect(out.dtype).toBe('string');
    expect(out.arraySync()).toEqual([
      ['a', 'c', 'd'],
      ['d', '[UNK]', 'b'],
    ]);
    tf.dispose([ids, out]);
  });

  it('mask token takes index 0 in int mode and is dropped by encodings', () => {
    const layer = new StringLookup({ vocabulary: VOCAB, maskToken: '' });
    expect(layer.getVocabulary()).toEqual(['', '[UNK]', 'a', 'b', 'c', 'd']);
    const out = run(layer, [['a', '', 'z']]);
    expect(out.arraySync()).toEqual([[2, 0, 1]]);
    const multi = run(new StringLookup({ vocabulary: VOCAB, maskToken: '', outputMode: 'multi_hot' }), [
      ['a', '', 'z'],
    ]);
    expectClose(multi, [[1, 1, 0, 0, 0]]);
    tf.dispose([out, multi]);
  });

  it('numOovIndices 0 refuses unknown tokens; maxTokens bounds the vocabulary', () => {
    const strict = new StringLookup({ vocabulary: VOCAB, numOovIndices: 0, name: 'strict' });
    const input = tf.tensor(['a', 'zz']);
    expect(() => strict.apply(input)).toThrow(
      /"strict" \(StringLookup\): with numOovIndices 0 every input must be in the vocabulary; found OOV value "zz"/,
    );
    input.dispose();
    expect(() => new StringLookup({ vocabulary: VOCAB, maxTokens: 3 })).toThrow(
      /5 entries \(special tokens included\), more than maxTokens 3/,
    );
    expect(() => new StringLookup({ vocabulary: ['a', 'a'] })).toThrow(/repeats terms: a/);
    expect(() => new StringLookup({ outputMode: 'multi_hot', invert: true })).toThrow(
      /outputMode must be "int" when invert is true/,
    );
    expect(() => new StringLookup({ outputMode: 'bogus' as 'int' })).toThrow(
      /outputMode must be one of int, one_hot, multi_hot, count, tf_idf/,
    );
  });

  it('writes Keras 3 get_config keys and round-trips the config', () => {
    clearSession();
    const layer = new StringLookup({ vocabulary: VOCAB, outputMode: 'multi_hot' });
    const config = layer.kerasConfig();
    expect(Object.keys(config)).toEqual([
      'name',
      'trainable',
      'dtype',
      'invert',
      'max_tokens',
      'num_oov_indices',
      'oov_token',
      'mask_token',
      'output_mode',
      'sparse',
      'pad_to_max_tokens',
      'idf_weights',
      'vocabulary',
      'vocabulary_size',
      'oov_method',
      'salt',
      'encoding',
    ]);
    expect(config).toMatchObject({
      name: 'string_lookup',
      vocabulary: VOCAB,
      vocabulary_size: 5,
      oov_token: '[UNK]',
      output_mode: 'multi_hot',
    });
    expectConfigRoundTrip(layer);
    expect(layer.computeOutputShape([null, 4])).toEqual([null, 5]);
  });

  it('symbolic outputs carry the dtype of the call: int32 indices, float32 encodings, strings when inverting', async () => {
    const { Input } = await import('../../engine/input-layer.js');
    const text = Input([2], { dtype: 'string' });
    expect(new StringLookup({ vocabulary: VOCAB }).apply(text).dtype).toBe('int32');
    expect(new StringLookup({ vocabulary: VOCAB, outputMode: 'count' }).apply(text).dtype).toBe('float32');
    expect(new StringLookup({ vocabulary: VOCAB, invert: true }).apply(Input([2], { dtype: 'int32' })).dtype).toBe(
      'string',
    );
  });

  it('saves an adapted vocabulary as the asset vocabulary.txt and reads it back', async () => {
    const layer = new StringLookup({ maskToken: '' });
    await layer.adapt(['x', 'y', 'y']);
    const assets = layer.saveAssets();
    expect(new TextDecoder().decode(assets.get('vocabulary.txt'))).toBe('\n[UNK]\ny\nx');
    const copy = new StringLookup({ maskToken: '' });
    copy.loadAssets(assets);
    expect(copy.getVocabulary()).toEqual(['', '[UNK]', 'y', 'x']);
    expect(new StringLookup({ vocabulary: ['q'] }).saveAssets().size).toBe(0);
  });
});

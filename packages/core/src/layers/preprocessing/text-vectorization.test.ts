import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { clearSession } from '../../utils/naming.js';
import { expectClose, expectConfigRoundTrip } from '../core/layer-test-kit.test-suite.js';
import { TextVectorization } from './text-vectorization.js';

function run(layer: TextVectorization, data: string[] | string[][]): tf.Tensor {
  const input = tf.tensor(data);
  const before = tf.memory().numTensors;
  const out = layer.apply(input);
  expect(tf.memory().numTensors).toBe(before + 1);
  input.dispose();
  return out;
}

describe('TextVectorization', () => {
  it('adapts and pads to outputSequenceLength (Keras docstring example)', async () => {
    const layer = new TextVectorization({ maxTokens: 5000, outputMode: 'int', outputSequenceLength: 4 });
    await layer.adapt(['foo bar', 'bar baz', 'baz bada boom']);
    expect(layer.getVocabulary()).toEqual(['', '[UNK]', 'baz', 'bar', 'foo', 'boom', 'bada']);
    const out = run(layer, [['foo qux bar'], ['qux baz']]);
    expect(out.dtype).toBe('int32');
    expect(out.arraySync()).toEqual([
      [4, 1, 3, 0],
      [1, 2, 0, 0],
    ]);
    out.dispose();
  });

  it('given vocabulary; standardizes (ASCII lower, Keras punctuation) and splits on whitespace', () => {
    const layer = new TextVectorization({ vocabulary: ['earth', 'wind', 'and', 'fire'] });
    expect(layer.getVocabulary()).toEqual(['', '[UNK]', 'earth', 'wind', 'and', 'fire']);
    const out = run(layer, ['  Earth, WIND\tand... fire!  ', 'water']);
    expect(out.arraySync()).toEqual([
      [2, 3, 4, 5],
      [1, 0, 0, 0],
    ]);
    out.dispose();
    expect(layer.tokenize('It\'s-a "TEST" (x_y) ÉCOLE')).toEqual(['itsa', 'test', 'xy', 'École']);
  });

  it('standardize / split options and ngrams', () => {
    expect(new TextVectorization({ standardize: 'lower', split: 'whitespace' }).tokenize('A,b C')).toEqual([
      'a,b',
      'c',
    ]);
    expect(new TextVectorization({ standardize: 'strip_punctuation' }).tokenize('A,b C')).toEqual(['Ab', 'C']);
    expect(new TextVectorization({ standardize: null, split: 'character' }).tokenize('Ab!')).toEqual(['A', 'b', '!']);
    expect(new TextVectorization({ standardize: null, split: null }).tokenize('a b')).toEqual(['a b']);
    expect(new TextVectorization({ ngrams: 2 }).tokenize('a b c')).toEqual(['a', 'b', 'c', 'a b', 'b c']);
    expect(new TextVectorization({ ngrams: [2, 3] }).tokenize('a b c')).toEqual(['a b', 'b c', 'a b c']);
  });

  it('multi_hot, count and tf_idf outputs are [batch, vocabularySize]', async () => {
    const texts = ['the cat', 'the dog the end'];
    const multi = new TextVectorization({ outputMode: 'multi_hot' });
    await multi.adapt(texts);
    expect(multi.getVocabulary()).toEqual(['[UNK]', 'the', 'end', 'dog', 'cat']);
    const a = run(multi, ['the cat the bird']);
    expectClose(a, [[1, 1, 0, 0, 1]]);
    const count = new TextVectorization({ outputMode: 'count', vocabulary: ['the', 'cat'] });
    const b = run(count, ['the cat the bird']);
    expectClose(b, [[1, 2, 1]]);
    const tfidf = new TextVectorization({ outputMode: 'tf_idf' });
    await tfidf.adapt(texts);
    const c = run(tfidf, ['the the cat']);
    // idf = log(1 + 2 / (1 + df)): "the" is in both documents, "cat" in one; OOV gets the mean.
    const idfThe = Math.log(1 + 2 / 3);
    const idfCat = Math.log(1 + 2 / 2);
    expectClose(c, [[0, 2 * idfThe, 0, 0, idfCat]]);
    expect(tfidf.computeOutputShape([null])).toEqual([null, 5]);
    tf.dispose([a, b, c]);
  });

  it('writes Keras get_config keys, round-trips the config, and refuses bad options', async () => {
    clearSession();
    const layer = new TextVectorization({ maxTokens: 10, outputSequenceLength: 3 });
    await layer.adapt(['a b', 'b']);
    expect(Object.keys(layer.kerasConfig())).toEqual([
      'name',
      'trainable',
      'dtype',
      'max_tokens',
      'standardize',
      'split',
      'ngrams',
      'output_mode',
      'output_sequence_length',
      'pad_to_max_tokens',
      'sparse',
      'ragged',
      'vocabulary',
      'idf_weights',
      'encoding',
      'vocabulary_size',
    ]);
    expect(layer.kerasConfig()).toMatchObject({ name: 'text_vectorization', vocabulary: null, vocabulary_size: 4 });
    // vocabulary_size is the live size, as Keras's get_config: a config-only copy records what it was given.
    expect(
      TextVectorization.fromConfig({
        ...layer.getConfig(),
        outputMode: 'count',
        outputSequenceLength: null,
      }).computeOutputShape([null]),
    ).toEqual([null, 4]);
    expectConfigRoundTrip(new TextVectorization({ vocabulary: ['x', 'y'], ngrams: [1, 2], outputMode: 'count' }));
    expect(new TextDecoder().decode(layer.saveAssets().get('vocabulary.txt'))).toBe('\n[UNK]\nb\na');
    expect(() => new TextVectorization({ outputMode: 'count', outputSequenceLength: 3 })).toThrow(
      /outputSequenceLength must be a positive integer, and only with outputMode "int"/,
    );
    expect(() => new TextVectorization({ split: 'comma' as 'whitespace' })).toThrow(
      /split must be "whitespace", "character" or null/,
    );
    const numbers = tf.tensor([1, 2]);
    expect(() => layer.apply(numbers)).toThrow(/expects a string tensor, got dtype float32/);
    numbers.dispose();
  });
});

describe('TextVectorization in training', () => {
  it('a model on string inputs trains with fit (shuffled batches of a string tensor)', async () => {
    const { Sequential } = await import('../../engine/sequential.js');
    const { Input } = await import('../../engine/input-layer.js');
    const { Dense } = await import('../core/dense.js');
    const vectorize = new TextVectorization({ outputMode: 'multi_hot' });
    const texts = ['good fun', 'great good', 'bad boring', 'awful bad', 'fun great', 'boring awful'];
    await vectorize.adapt(texts);
    const model = new Sequential([Input([], { dtype: 'string' }), vectorize, new Dense(1, { activation: 'sigmoid' })]);
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
    const x = tf.tensor(texts);
    const y = tf.tensor([[1], [1], [0], [0], [1], [0]]);
    await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 });
    // Measured after a first fit, which creates the optimizer's slots.
    const before = tf.memory().numTensors;
    const history = await model.fit(x, y, { epochs: 3, batchSize: 2, shuffle: true, verbose: 0 });
    expect(history.history['loss']).toHaveLength(3);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    model.dispose();
  });
});

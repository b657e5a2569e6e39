import { describe, expect, it } from 'vitest';
import { setRandomSeed, tf } from '@strata/core';
import { TokenAndPositionEmbedding, TransformerBlock } from './layers.js';
import { buildTransformerClassifier, prepareReviews } from './model.js';

describe('text classification with a Transformer block', () => {
  it('custom layers keep the shapes of Keras (batch, maxlen, embedDim) and own their sublayers’ weights', () => {
    const before = tf.memory().numTensors;
    const embedding = new TokenAndPositionEmbedding(8, 50, 4);
    const block = new TransformerBlock(4, 2, 6);
    const ids = tf.tensor2d([[1, 5, 9, 0, 0, 0, 0, 0]], [1, 8], 'int32');
    const out = tf.tidy(() => block.apply(embedding.apply(ids)));
    expect(out.shape).toEqual([1, 8, 4]);
    // Token (50×4) + position (8×4) tables; attention q/k/v/o kernels + biases, 2 FFN Dense, 2 LayerNorms.
    expect(embedding.weights.map((w) => w.shape)).toEqual([
      [50, 4],
      [8, 4],
    ]);
    expect(block.trainableWeights.length).toBe(8 + 4 + 4);
    tf.dispose([ids, out]);
    embedding.dispose();
    block.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trains a few steps on tiny generated data: finite loss that goes down, no tensor leaks', async () => {
    setRandomSeed(3);
    const before = tf.memory().numTensors;
    const data = prepareReviews(64, 200, 24, 5);
    const model = buildTransformerClassifier({ vocabSize: 200, maxlen: 24, embedDim: 8, ffDim: 8 });
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const history = await model.fit(data.x, data.y, { batchSize: 16, epochs: 4, verbose: 0 });
    const loss = history.history['loss']!;
    expect(loss.every(Number.isFinite)).toBe(true);
    expect(loss[loss.length - 1]!).toBeLessThan(loss[0]!);
    const probs = model.predict(data.x, { verbose: 0 }) as tf.Tensor;
    expect(probs.shape).toEqual([64, 2]);
    tf.dispose([probs, data.x, data.y]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

/**
 * The classifier of Keras's "Text classification with Transformer", built with the functional API,
 * and the data preparation (padded token ids) it trains on.
 */
import { Input, Model, layers, tf, utils } from '@strata/core';
import { makeSyntheticReviews } from '@strata/datasets';
import { TokenAndPositionEmbedding, TransformerBlock } from './layers.js';

/** Sizes of the model (Keras's example: vocab 20,000, maxlen 200, embed 32, 2 heads, ff 32). */
export interface TransformerClassifierOptions {
  vocabSize: number;
  maxlen: number;
  embedDim?: number;
  numHeads?: number;
  ffDim?: number;
}

/** Input → TokenAndPositionEmbedding → TransformerBlock → GlobalAveragePooling1D → Dropout → Dense(20) → Dropout → Dense(2, softmax). */
export function buildTransformerClassifier(options: TransformerClassifierOptions): Model {
  const { vocabSize, maxlen } = options;
  const embedDim = options.embedDim ?? 32; // Embedding size for each token
  const numHeads = options.numHeads ?? 2; // Number of attention heads
  const ffDim = options.ffDim ?? 32; // Hidden layer size in feed forward network inside transformer

  const inputs = Input([maxlen]);
  const embeddingLayer = new TokenAndPositionEmbedding(maxlen, vocabSize, embedDim);
  let x = embeddingLayer.apply(inputs);
  const transformerBlock = new TransformerBlock(embedDim, numHeads, ffDim);
  x = transformerBlock.apply(x);
  x = new layers.GlobalAveragePooling1D().apply(x);
  x = new layers.Dropout(0.1).apply(x);
  x = new layers.Dense(20, { activation: 'relu' }).apply(x);
  x = new layers.Dropout(0.1).apply(x);
  const outputs = new layers.Dense(2, { activation: 'softmax' }).apply(x);
  return new Model(inputs, outputs);
}

/** Padded reviews and labels as tensors; the caller disposes them. */
export interface ReviewTensors {
  x: tf.Tensor2D;
  y: tf.Tensor1D;
}

/**
 * Generated reviews (IMDB is not on npm; see `makeSyntheticReviews`), padded as
 * `keras.utils.pad_sequences(x, maxlen=maxlen)` does.
 */
export function prepareReviews(count: number, vocabSize: number, maxlen: number, seed: number): ReviewTensors {
  const data = makeSyntheticReviews({ count, vocabSize, minLength: Math.min(20, maxlen), maxLength: maxlen, seed });
  return { x: utils.padSequences(data.sequences, { maxlen }), y: tf.tensor1d(data.labels, 'float32') };
}

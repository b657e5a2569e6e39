/**
 * The model of Keras's "Bidirectional LSTM on IMDB" (keras.io/examples/nlp/bidirectional_lstm_imdb)
 * and its data preparation: generated reviews (IMDB is not on npm) padded to `maxlen`.
 */
import { Input, Model, layers, tf, utils } from '@strata/core';
import { makeSyntheticReviews } from '@strata/datasets';

/** Sizes of the model (Keras's example: 20,000 words, embedding 128, LSTM 64). */
export interface BidirectionalLstmOptions {
  maxFeatures: number;
  embeddingDim?: number;
  units?: number;
}

/** Embedding → Bidirectional(LSTM, returnSequences) → Bidirectional(LSTM) → Dense(1, sigmoid), on variable-length int sequences. */
export function buildBidirectionalLstm(options: BidirectionalLstmOptions): Model {
  const units = options.units ?? 64;
  // Input for variable-length sequences of integers
  const inputs = Input([null], { dtype: 'int32' });
  // Embed each integer in a 128-dimensional vector
  let x = new layers.Embedding(options.maxFeatures, options.embeddingDim ?? 128).apply(inputs);
  // Add 2 bidirectional LSTMs
  x = new layers.Bidirectional(new layers.LSTM(units, { returnSequences: true })).apply(x);
  x = new layers.Bidirectional(new layers.LSTM(units)).apply(x);
  // Add a classifier
  const outputs = new layers.Dense(1, { activation: 'sigmoid' }).apply(x);
  return new Model(inputs, outputs);
}

/** Padded token ids `[count, maxlen]` (int32) and labels `[count]`; the caller disposes them. */
export interface ReviewTensors {
  x: tf.Tensor2D;
  y: tf.Tensor1D;
}

/** Generated reviews padded as `keras.utils.pad_sequences(x, maxlen=maxlen)` (zeros in front). */
export function prepareReviews(count: number, maxFeatures: number, maxlen: number, seed: number): ReviewTensors {
  const data = makeSyntheticReviews({
    count,
    vocabSize: maxFeatures,
    minLength: Math.min(10, maxlen),
    maxLength: maxlen,
    seed,
  });
  return { x: utils.padSequences(data.sequences, { maxlen }), y: tf.tensor1d(data.labels, 'float32') };
}

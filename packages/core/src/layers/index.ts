/**
 * All built-in layers, grouped by kind as in Keras 3 (`keras.layers`).
 */
export * from './core/index.js';
export * from './activations/index.js';
export * from './convolutional/index.js';
export * from './pooling/index.js';
export * from './normalization/index.js';
export * from './merging/index.js';
export * from './reshaping/index.js';
export * from './regularization/index.js';
export * from './rnn/index.js';
export * from './ops/index.js';
export * from './attention/index.js';
export * from './preprocessing/index.js';

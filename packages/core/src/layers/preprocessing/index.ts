// Preprocessing layers (Keras `keras/src/layers/preprocessing`); Rescaling lives in core/.
export type { AdaptData, AdaptBatch, NestedValues } from './adapt-data.js';
export * from './index-lookup.js';
export * from './string-lookup.js';
export * from './integer-lookup.js';
export * from './text-vectorization.js';
export * from './normalization.js';

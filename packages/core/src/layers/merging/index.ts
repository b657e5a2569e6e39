// Merging layers (Keras `keras/src/layers/merging`).
// The base class is public for custom merge layers; its helpers stay internal.
export { Merge, type MergeMasks } from './base-merge.js';
export * from './add.js';
export * from './average.js';
export * from './concatenate.js';
export * from './maximum.js';
export * from './minimum.js';
export * from './multiply.js';
export * from './subtract.js';
export * from './dot.js';

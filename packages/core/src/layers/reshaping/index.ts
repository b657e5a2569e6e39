// Reshaping layers (Keras `keras/src/layers/reshaping`).
export * from './cropping1d.js';
export * from './cropping2d.js';
export * from './flatten.js';
export * from './permute.js';
export * from './repeat-vector.js';
export * from './reshape.js';
export * from './up-sampling1d.js';
export * from './up-sampling2d.js';
export * from './zero-padding1d.js';
export * from './zero-padding2d.js';

// Regularization layers (the dropout family), one file per layer.
export * from './dropout.js';
export * from './dropout-noise.js';

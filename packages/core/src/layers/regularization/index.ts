// Regularization layers (the dropout family), one file per layer.
export * from './activity-regularization.js';
export * from './alpha-dropout.js';
export * from './dropout.js';
export * from './dropout-noise.js';
export * from './gaussian-dropout.js';
export * from './gaussian-noise.js';
export * from './spatial-dropout.js';

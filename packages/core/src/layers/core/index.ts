// Core layers (Keras `keras/src/layers/core`), plus Rescaling (a Keras preprocessing layer).
export * from './dense.js';
export * from './embedding.js';
export * from './identity.js';
export * from './rescaling.js';
export * from './masking.js';

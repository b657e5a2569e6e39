// Activation layers (Keras `keras/src/layers/activations`).
export * from './activation.js';
export * from './elu.js';
export * from './leaky-relu.js';
export * from './prelu.js';
export * from './relu.js';
export * from './softmax.js';

// Normalization layers (Keras `keras.layers` normalization group), one file per layer.
export { BatchNormalization, type BatchNormalizationArgs } from './batch-normalization.js';
export { LayerNormalization, type LayerNormalizationArgs } from './layer-normalization.js';

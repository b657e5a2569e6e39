// Normalization layers (Keras `keras.layers` normalization group), one file per layer.
export { BatchNormalization, type BatchNormalizationArgs } from './batch-normalization.js';
export { LayerNormalization, type LayerNormalizationArgs } from './layer-normalization.js';
export { GroupNormalization, type GroupNormalizationArgs } from './group-normalization.js';
export { RMSNormalization, type RMSNormalizationArgs } from './rms-normalization.js';
export { UnitNormalization, type UnitNormalizationArgs } from './unit-normalization.js';
export type { RenormClipping } from './batch-renorm.js';

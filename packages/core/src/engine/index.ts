export * from './functional.js';
export * from './input-layer.js';
export * from './keras-tensor.js';
export * from './layer.js';
export * from './model.js';
export * from './registry.js';
export * from './seed-generator.js';
export * from './sequential.js';
export * from './shape-utils.js';
export * from './summary.js';
export * from './variable.js';
export * from './image-data-format.js';
// Shared helpers that live in utils/ (a folder below every other one) but have always been
// part of the engine's public surface.
export * from '../utils/config-case.js';
export * from '../utils/losses-collector.js';
export * from '../utils/naming.js';
export * from '../utils/serialization.js';
export * from '../utils/random-seed.js';
export * from './layer-options.js';

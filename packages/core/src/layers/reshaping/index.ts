// Reshaping layers (Keras `keras/src/layers/reshaping`).
export type { CroppingArgs } from './cropping-nd.js';
export * from './cropping1d.js';
export * from './cropping2d.js';
export * from './cropping3d.js';
export * from './flatten.js';
export * from './permute.js';
export * from './repeat-vector.js';
export * from './reshape.js';
export * from './up-sampling1d.js';
export * from './up-sampling2d.js';
export * from './up-sampling3d.js';
export type { ZeroPaddingArgs } from './zero-padding-nd.js';
export type { IntOrPair, Spatial2DArg, SpatialArg } from './tuple-args.js';
export * from './zero-padding1d.js';
export * from './zero-padding2d.js';
export * from './zero-padding3d.js';

/**
 * The one place this package reaches into `@strata/core`. Model saving (`modelToIR`,
 * `modelFromIR`, `layerToIR`), callbacks and the image data format are not exported from
 * the package root yet, so they come from core's source folders here; switch these lines
 * to '@strata/core' once core exports them.
 */
export { Input, Layer, Model, Sequential, Functional, SeedGenerator, registerLayer, layerFromConfig, configToCamel, getLayerClass, layers, tf } from '@strata/core';
export type { CallContext, LayerArgs, LayerConfig, LayerClass, LayerVariable, TensorOrList } from '@strata/core';
export { standardizeDataFormat, imageDataFormat, type DataFormat } from '../../core/src/engine/image-data-format.js';
export { modelToIR, modelFromIR, layerToIR } from '../../core/src/saving/index.js';
export { Callback, type Logs } from '../../core/src/callbacks/callback.js';

/**
 * The one place this package reaches into `@strata/core`.
 */
export {
  Input,
  Layer,
  Model,
  Sequential,
  Functional,
  SeedGenerator,
  registerLayer,
  layerFromConfig,
  configToCamel,
  getLayerClass,
  acceptedOptionKeys,
  layerArgs,
  layers,
  tf,
} from '@strata/core';
export type {
  CallContext,
  DataInput,
  LayerArgs,
  LayerConfig,
  LayerClass,
  LayerVariable,
  TensorOrList,
} from '@strata/core';
export { standardizeDataFormat, imageDataFormat, type DataFormat } from '@strata/core';
export { modelToIR, modelFromIR, layerToIR } from '@strata/core';
import { callbacks } from '@strata/core';
/** Keras's callback base class. */
export const Callback = callbacks.Callback;
/** Keras's callback base class (type). */
export type Callback = InstanceType<typeof callbacks.Callback>;
/** The logs a callback receives. */
export type Logs = callbacks.Logs;

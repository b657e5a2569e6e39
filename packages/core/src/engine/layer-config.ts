/**
 * The config every layer shares (name, trainable, dtype policy, activity regularizer), as
 * Keras's base `Layer.get_config` writes it; subclasses add their own keys on top.
 */
import { serializeRegularizer, type Regularizer } from '../regularizers/index.js';
import type { DTypeIdentifier, LayerConfig } from './layer-types.js';

/** The dtype name of a `dtype` option (`float32` when absent). */
export function dtypeName(dtype: DTypeIdentifier | undefined): string {
  if (dtype === undefined) return 'float32';
  if (typeof dtype === 'string') return dtype;
  return dtype.config?.name ?? 'float32';
}

/** The base layer's part of a config (camelCase). */
export function baseLayerConfig(layer: {
  readonly name: string;
  readonly trainable: boolean;
  readonly dtype: string;
  readonly activityRegularizer: Regularizer | null;
}): LayerConfig {
  const config: LayerConfig = {
    name: layer.name,
    trainable: layer.trainable,
    dtype: { module: 'keras', className: 'DTypePolicy', config: { name: layer.dtype }, registeredName: null },
  };
  // As Keras's base Layer: included only when set.
  if (layer.activityRegularizer !== null)
    config['activityRegularizer'] = serializeRegularizer(layer.activityRegularizer);
  return config;
}

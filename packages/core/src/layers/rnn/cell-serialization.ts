/**
 * Serializing nested layers (an RNN's cell, a wrapper's inner layer) in Keras's
 * `{module, class_name, config, registered_name}` form, and rebuilding them through the registry.
 */
import type { Layer, LayerConfig } from '../../engine/layer.js';
import { layerFromConfig } from '../../engine/registry.js';
import type { SerializedObject } from '../../utils/serialization.js';
import { ConfigurationError } from '../../utils/errors.js';

/** The serialized form of a nested layer. */
export function serializeLayer(layer: Layer): SerializedObject {
  return { module: 'keras.layers', className: layer.className, config: layer.getConfig(), registeredName: null };
}

/** Rebuilds a nested layer from its serialized form (a Layer instance is returned as is). */
export function deserializeLayer(value: unknown, where: string): Layer {
  if (
    value !== null &&
    typeof value === 'object' &&
    'className' in value &&
    typeof (value as { className: unknown }).className === 'string'
  ) {
    const serialized = value as { className: string; config?: LayerConfig; registeredName?: string | null };
    return layerFromConfig(serialized.className, serialized.config ?? {}, serialized.registeredName ?? null);
  }
  if (value !== null && typeof value === 'object' && 'invoke' in value) return value as Layer;
  throw new ConfigurationError(
    `${where}: expected a serialized layer {className, config}, got ${JSON.stringify(value)}`,
  );
}

/**
 * How Keras 3 names layer groups inside `model.weights.h5`.
 *
 * Keras addresses each layer of a Sequential/Functional model not by `layer.name`
 * but by its snake-cased class name, de-duplicated with `_1`, `_2`, …
 * (`saving_lib._save_container_state` / `_get_unique_name`), under `layers/`.
 * `Sequential.layers` omits the InputLayer; a Functional model's `layers` keeps it; `keras.ops`
 * calls recorded in the graph are not layers and have no group.
 *
 * @packageDocumentation
 */
import type { JsonObject, JsonValue } from '../ir.js';
import { isKerasOpEntry } from '../shapes/keras-ops.js';

/** Keras's `naming.to_snake_case`: `Conv2D` → `conv2d`, `BatchNormalization` → `batch_normalization`. */
export function kerasSnakeCase(className: string): string {
  return className
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** Where one layer's variables live in a Keras 3 weights file. */
export interface KerasLayerGroup {
  /** The layer's `name` from the config. */
  layerName: string;
  /** The layer's class name. */
  className: string;
  /** The group path, e.g. `layers/dense_1` (variables are in `<group>/vars/<i>`). */
  group: string;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Lists the weight groups Keras 3 uses for the layers of a model config
 * (`{class_name, config: {layers: [...]}}`), in layer order.
 */
export function kerasLayerGroups(modelConfig: JsonObject): KerasLayerGroup[] {
  const className = typeof modelConfig['class_name'] === 'string' ? modelConfig['class_name'] : '';
  const inner = modelConfig['config'];
  const layers = Array.isArray(inner)
    ? inner
    : isObject(inner) && Array.isArray(inner['layers'])
      ? inner['layers']
      : [];
  const used = new Map<string, number>();
  const groups: KerasLayerGroup[] = [];
  for (const layer of layers) {
    if (!isObject(layer) || typeof layer['class_name'] !== 'string') continue;
    const layerClass = layer['class_name'];
    if (className === 'Sequential' && layerClass === 'InputLayer') continue;
    const layerConfig = layer['config'];
    // `keras.ops` calls are operations, not layers: Keras's `model.layers` (and its weights file) skips them.
    const module = typeof layer['module'] === 'string' ? layer['module'] : undefined;
    if (
      isObject(layerConfig) &&
      isKerasOpEntry({ className: layerClass, config: layerConfig, ...(module === undefined ? {} : { module }) })
    )
      continue;
    const nameValue = isObject(layerConfig) ? layerConfig['name'] : undefined;
    const layerName =
      typeof layer['name'] === 'string' ? layer['name'] : typeof nameValue === 'string' ? nameValue : '';
    const base = kerasSnakeCase(layerClass);
    const seen = used.get(base);
    const unique = seen === undefined ? base : `${base}_${seen + 1}`;
    used.set(base, seen === undefined ? 0 : seen + 1);
    groups.push({ layerName, className: layerClass, group: `layers/${unique}` });
  }
  return groups;
}

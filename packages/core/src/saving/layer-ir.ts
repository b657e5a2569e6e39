/**
 * One layer ↔ its Keras 3 serialized form in the IR (`class_name`, `config`, `module`,
 * `registered_name`, `build_config`). Configs are snake_case in the IR, camelCase at runtime.
 */
import {
  KERAS_OP_MODULES,
  isBuiltAtInit,
  isKerasOpEntry,
  type JsonObject,
  type JsonValue,
  type LayerIR,
} from '@strata/graph';
import { configToCamel } from '../utils/config-case.js';
import { isShapeList, type Layer, type LayerConfig } from '../engine/layer.js';
import { buildingFromFile } from '../engine/layer-options.js';
import { OpLayer, opClassNames, opLayerClass } from '../layers/ops/op-layer.js';
import { ModelLoadError, kerasNamingOf, resolveLayerClass } from './class-lookup.js';

/** A JSON copy of any value (drops `undefined`, turns typed arrays into plain ones). */
export function toJson(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value ?? null)) as JsonValue;
}

/** The serialized form of a (non-model) layer, without its call nodes. */
export function layerToIR(layer: Layer): LayerIR {
  if (layer instanceof OpLayer) {
    // As Keras writes an op call: its module, registered_name = class name, no build_config.
    const op = kerasNamingOf(layer);
    return {
      className: layer.className,
      name: layer.name,
      config: toJson(layer.kerasConfig()) as JsonObject,
      module: op.module,
      registeredName: op.registeredName,
      nodes: [],
    };
  }
  const naming = kerasNamingOf(layer);
  const ir: LayerIR = {
    className: layer.className,
    name: layer.name,
    config: kerasConfigJson(layer),
    module: naming.module,
    registeredName: naming.registeredName,
    nodes: [],
  };
  const buildConfig = buildConfigOf(layer);
  if (buildConfig !== undefined) ir.buildConfig = buildConfig;
  return ir;
}

/** The layer's Keras config as JSON; InputLayer gets Keras 3's `ragged: false` after `sparse`. */
function kerasConfigJson(layer: Layer): JsonObject {
  const config = toJson(layer.kerasConfig()) as JsonObject;
  if (layer.className !== 'InputLayer' || 'ragged' in config) return config;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(config)) {
    out[key] = value;
    if (key === 'sparse') out['ragged'] = false;
  }
  return out;
}

/** Keras's `get_build_config()`: the input shape the layer was built with. */
export function buildConfigOf(layer: Layer): JsonObject | undefined {
  // Layers Keras builds in `__init__` (the layer-facts table says which) record no build_config.
  if (layer.className === 'InputLayer' || isBuiltAtInit(layer.className)) return undefined;
  if (!layer.built || layer.builtInputShape === null) return undefined;
  // Layers whose call takes tensors as separate arguments record one shape per argument (`query_shape`, …).
  const names = layer.positionalTensorArguments;
  const shapes = layer.builtInputShape;
  if (names.length > 0 && isShapeList(shapes) && shapes.length > 1) {
    return {
      shapes_dict: Object.fromEntries(shapes.map((shape, i) => [`${names[i] ?? `arg${i}`}_shape`, toJson(shape)])),
    };
  }
  return { input_shape: toJson(layer.builtInputShape) };
}

/** Keys only older Keras versions wrote, which Keras 3 layers do not take. */
const LEGACY_ONLY_KEYS = ['input_length', 'time_major', 'implementation', 'batch_input_shape', 'input_dtype'];

/**
 * The runtime (camelCase) config of a serialized layer. For Keras 2 / TF.js files,
 * `null` entries (Keras 2's "use the default") and keys Keras 3 dropped are left out.
 */
export function runtimeConfigOf(ir: LayerIR, legacy: boolean): LayerConfig {
  const isInput = ir.className === 'InputLayer';
  let snake: JsonObject = { ...ir.config };
  // Keras 2 put the model's input shape on its first layer; the loader turns it into an InputLayer.
  if (!isInput) delete snake['batch_input_shape'];
  if (legacy) {
    snake = Object.fromEntries(
      Object.entries(snake).filter(([key, value]) => value !== null && (isInput || !LEGACY_ONLY_KEYS.includes(key))),
    );
    // GRU: Keras 2.0–2.2 and TF.js had no `reset_after` (they computed it as `false`).
    if (ir.className === 'GRU' && !('reset_after' in snake)) snake['reset_after'] = false;
  }
  const config = configToCamel(snake);
  config['name'] = ir.name;
  return config;
}

/** The batch input shape a Keras 2 layer config declares (`batch_input_shape`), if any. */
export function legacyBatchInputShape(ir: LayerIR): (number | null)[] | undefined {
  const shape = ir.config['batch_input_shape'];
  return Array.isArray(shape) ? (shape as (number | null)[]) : undefined;
}

/**
 * Builds a (non-model) layer from its serialized form. Only registered classes are
 * built; nothing in the config is evaluated.
 *
 * @throws ModelLoadError for `Lambda` or unregistered classes, naming layer and class, or
 *   a config the layer rejects
 */
export function layerFromIR(ir: LayerIR, legacy = false): Layer {
  if (isKerasOpEntry(ir)) return opFromIR(ir);
  const cls = resolveLayerClass(ir.className, ir.registeredName, ir.name);
  const config = runtimeConfigOf(ir, legacy);
  try {
    // Keras writes config keys the runtime ignores on purpose: user construction alone is strict.
    return buildingFromFile(() => cls.fromConfig(config));
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    // A config a layer rejects is a bad file, reported with the loader's typed error.
    throw new ModelLoadError(`Layer "${ir.name}" (${ir.className}) could not be built from its config: ${message}`, {
      cause,
    });
  }
}

/**
 * Builds a `keras.ops` call entry (module `keras.src.ops.*`, or an op-only config in a legacy
 * `.h5`) from the fixed op table; its call arguments are set when the model replays the node.
 *
 * @throws ModelLoadError for op classes Strata does not compute, listing those it does
 */
function opFromIR(ir: LayerIR): OpLayer {
  const cls = opLayerClass(ir.className);
  if (cls === undefined) {
    const known = Object.hasOwn(KERAS_OP_MODULES, ir.className) ? '' : ` (module "${ir.module ?? 'none'}")`;
    throw new ModelLoadError(
      `Layer "${ir.name}" is a keras.ops call of class "${ir.className}"${known}, which Strata does not compute. ` +
        `Supported ops: ${opClassNames().join(', ')}.`,
    );
  }
  const { name: _name, ...options } = ir.config;
  return new cls({ name: ir.name, options });
}

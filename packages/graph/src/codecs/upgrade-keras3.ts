/**
 * Rewrites a model decoded from a Keras 2 / tf.keras 2 / TF.js file into the form Keras 3
 * writes and reads: functional class `Functional`, calls in Keras 3 numbering, recurrent
 * initial states as the `initial_state` keyword argument, keys Keras 3 refuses dropped.
 *
 * @packageDocumentation
 */
import { LEGACY_HARD_SIGMOID } from './legacy-activations.js';
import type { CallNode, JsonObject, JsonValue, LayerIR, ModelIR, TensorRef } from '../ir.js';
import { KERAS_OP_MODULES, isKerasOpEntry } from '../shapes/keras-ops.js';
import { analyzeModelShapes } from '../shapes/model.js';
import { callIndexOf, nodeIndexOffsets } from '../walk.js';
import { isHistoryTriple } from './json.js';
import { encodeKerasTensor, isKerasTensorJson } from './keras3.js';

/** Keras 3 writes a functional model's class from its Python module. */
const FUNCTIONAL_MODULE = 'keras.src.models.functional';

/** Keys only Keras 2 / tf.keras 2 / TF.js wrote, which Keras 3 layers refuse. */
const LEGACY_ONLY_KEYS = new Set(['time_major', 'implementation', 'input_length', 'input_dtype']);

/**
 * Keras 3 classes whose constructor takes fewer keys than Keras 2 wrote (`SpatialDropout*.__init__`
 * has only rate, seed, name, dtype and data_format): the keys they refuse.
 */
const REFUSED_KEYS: Record<string, readonly string[]> = {
  SpatialDropout1D: ['trainable', 'noise_shape'],
  SpatialDropout2D: ['trainable', 'noise_shape'],
  SpatialDropout3D: ['trainable', 'noise_shape'],
};

const isObject = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Where Keras 3 finds a serialized object by the config key that holds it. */
function moduleForKey(key: string): string | undefined {
  if (key.endsWith('initializer')) return 'keras.initializers';
  if (key.endsWith('regularizer')) return 'keras.regularizers';
  if (key.endsWith('constraint')) return 'keras.constraints';
  return undefined;
}

/** A Keras 2 `{class_name, config}` as Keras 3 serializes it (with `module`, without tf.keras 2's `dtype`). */
function upgradeObject(value: JsonObject, module: string): JsonObject {
  if ('module' in value || typeof value['class_name'] !== 'string') return value;
  const config = isObject(value['config']) ? { ...value['config'] } : {};
  delete config['dtype'];
  return { module, class_name: value['class_name'], config, registered_name: null };
}

/**
 * Brings one layer config into Keras 3 form, recursively through wrapped layers: legacy-only
 * keys and Keras 2's `null` ("use the default") dropped, serialized initializers / regularizers /
 * constraints given their Keras 3 module, `batch_input_shape` renamed.
 */
function upgradeConfig(className: string, config: JsonObject, where: string, notes: string[]): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === null && key !== 'name') continue;
    if (REFUSED_KEYS[className]?.includes(key) === true) continue;
    if (LEGACY_ONLY_KEYS.has(key)) {
      if (key === 'time_major' && value !== false)
        notes.push(`${where}: time_major=${JSON.stringify(value)} has no Keras 3 equivalent and was dropped`);
      continue;
    }
    const module = moduleForKey(key);
    if (module !== undefined && isObject(value)) {
      out[key] = upgradeObject(value, module);
    } else if (
      (key === 'layer' || key === 'backward_layer' || key === 'cell') &&
      isObject(value) &&
      isObject(value['config'])
    ) {
      const innerClass = String(value['class_name']);
      const inner: JsonObject = {
        ...value,
        config: upgradeConfig(innerClass, value['config'], `${where}.${key}`, notes),
      };
      // Keras 3 deserializes wrapped layers through `module`; built-in layers live in keras.layers.
      if (!('module' in inner) && !innerClass.includes('>')) {
        inner['module'] = 'keras.layers';
        inner['registered_name'] = null;
      }
      out[key] = inner;
    } else if (key === 'batch_input_shape' && className === 'InputLayer') {
      out['batch_shape'] = value;
    } else {
      out[key] = value;
    }
  }
  for (const key of ['activation', 'recurrent_activation']) {
    if (config[key] === 'hard_sigmoid') {
      // Keras 3 reads "hard_sigmoid" as relu6(x + 3) / 6: keep the writer's meaning under Strata's name for it.
      out[key] = LEGACY_HARD_SIGMOID;
      notes.push(
        `${where}: ${key} "hard_sigmoid" meant clip(0.2x + 0.5, 0, 1) in Keras 2 / TF.js, which Keras 3 computes differently; ` +
          `written as "${LEGACY_HARD_SIGMOID}", which Strata loads with the original meaning and real Keras 3 refuses as unknown rather than compute other values`,
      );
    }
  }
  // GRU: Keras 2.0–2.2 and TF.js had no `reset_after` and computed it as false; Keras 3 defaults to true.
  if (className === 'GRU' && !('reset_after' in config)) out['reset_after'] = false;
  return out;
}

const RECURRENT_CONFIG_KEYS = ['return_sequences', 'return_state'];

function isRecurrent(layer: LayerIR): boolean {
  return RECURRENT_CONFIG_KEYS.every((key) => key in layer.config) || layer.className === 'Bidirectional';
}

/**
 * Returns a Keras 3 form of `model` (a new object; `model` is not changed) and notes on what
 * changed in meaning or could not be carried over.
 */
export function upgradeToKeras3(model: ModelIR): { model: ModelIR; notes: string[] } {
  const notes: string[] = [];
  return { model: upgradeModel(model, notes), notes };
}

/**
 * Keras 2 put a Sequential model's input shape on its first layer (`batch_input_shape`); Keras 3
 * refuses that key and writes an InputLayer instead (named as Keras 2 named it, `<first>_input`).
 */
function sequentialInput(first: LayerIR | undefined): LayerIR[] {
  const shape = first?.config['batch_input_shape'];
  if (first === undefined || first.className === 'InputLayer' || !Array.isArray(shape)) return [];
  const dtype = typeof first.config['dtype'] === 'string' ? first.config['dtype'] : 'float32';
  const name = `${first.name}_input`;
  return [
    {
      className: 'InputLayer',
      name,
      module: 'keras.layers',
      registeredName: null,
      config: { batch_shape: shape, dtype, sparse: false, ragged: false, name },
      nodes: [],
    },
  ];
}

function upgradeModel(model: ModelIR, notes: string[]): ModelIR {
  const offsets = nodeIndexOffsets(model);
  const shapes = analyzeModelShapes(model).shapes;
  // Keras 3 numbers only functional models' calls from 1, never Sequential ones.
  const renumber = (ref: TensorRef): TensorRef => {
    const producer = model.layers.find((layer) => layer.name === ref.layer);
    const fileOffset = offsets.get(ref.layer) ?? 0;
    const keras3Offset = producer?.model !== undefined && producer.model.className !== 'Sequential' ? 1 : 0;
    const upgraded: TensorRef = { ...ref, node: ref.node - fileOffset + keras3Offset };
    // Keras 3 reads `shape` and `dtype` of every `__keras_tensor__`; Keras 2 files do not record them.
    const shape = ref.shape ?? shapes.get(ref.layer)?.[callIndexOf(model, ref, offsets)]?.[ref.index];
    if (shape !== undefined) upgraded.shape = shape;
    if (upgraded.dtype === undefined) upgraded.dtype = 'float32';
    return upgraded;
  };
  const layerNames = new Set(model.layers.map((layer) => layer.name));
  const layers = model.layers.map((layer): LayerIR => {
    const upgraded: LayerIR = {
      ...layer,
      config: upgradeConfig(layer.className, layer.config, `layer "${layer.name}"`, notes),
    };
    delete upgraded.config['batch_input_shape'];
    // Keras's own `.h5` drops a `keras.ops` call's module; Keras 3 reads op nodes only from theirs
    // (`keras.src.ops.numpy`, …, with registered_name = class name), never from keras.layers.
    if (layer.module === undefined && isKerasOpEntry(layer) && Object.hasOwn(KERAS_OP_MODULES, layer.className)) {
      upgraded.module = KERAS_OP_MODULES[layer.className];
      upgraded.registeredName = layer.className;
    }
    if (layer.className === 'InputLayer' && Array.isArray(layer.config['batch_input_shape']))
      upgraded.config['batch_shape'] = layer.config['batch_input_shape'];
    if (layer.model !== undefined) {
      upgraded.model = upgradeModel(layer.model, notes);
      upgraded.className = upgraded.model.className;
    }
    upgraded.nodes = layer.nodes.map((node) => upgradeNode(layer, node, layerNames, renumber));
    return upgraded;
  });
  const functional = model.className !== 'Sequential';
  if (!functional) layers.unshift(...sequentialInput(model.layers[0]));
  const upgraded: ModelIR = {
    ...model,
    className: functional ? 'Functional' : 'Sequential',
    module: functional ? FUNCTIONAL_MODULE : 'keras',
    registeredName: functional ? 'Functional' : null,
    layers,
    inputs: model.inputs.map(renumber),
    outputs: model.outputs.map(renumber),
  };
  // Keras 2 layouts (bare-list Sequential, top-level keras_version, TF.js wrapper) do not carry over.
  delete upgraded.layout;
  if (model.layout?.inputs !== undefined || model.layout?.outputs !== undefined) {
    upgraded.layout = {};
    if (model.layout.inputs !== undefined) upgraded.layout.inputs = model.layout.inputs;
    if (model.layout.outputs !== undefined) upgraded.layout.outputs = model.layout.outputs;
  }
  return upgraded;
}

/** Keras 2 writes tensors in kwargs as `[layer, node, index]`; Keras 3 as `__keras_tensor__`. */
function tensorsAsKeras3(
  value: JsonValue,
  layerNames: ReadonlySet<string>,
  renumber: (ref: TensorRef) => TensorRef,
): JsonValue {
  if (isHistoryTriple(value) && layerNames.has(value[0]))
    return encodeKerasTensor(renumber({ layer: value[0], node: value[1], index: value[2] }));
  if (isKerasTensorJson(value)) return value;
  if (Array.isArray(value)) return value.map((item) => tensorsAsKeras3(item, layerNames, renumber));
  if (isObject(value))
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, tensorsAsKeras3(item, layerNames, renumber)]),
    );
  return value;
}

function upgradeNode(
  layer: LayerIR,
  node: CallNode,
  layerNames: ReadonlySet<string>,
  renumber: (ref: TensorRef) => TensorRef,
): CallNode {
  const inputs = node.inputs.map(renumber);
  const kwargs: JsonObject = {};
  for (const [key, value] of Object.entries(node.kwargs ?? {}))
    kwargs[key] = tensorsAsKeras3(value, layerNames, renumber);
  // tf.keras 2 recorded `initial_state` as extra inputs of the call; Keras 3 reads only the kwarg.
  if (isRecurrent(layer) && inputs.length > 1 && node.kwargs?.['initial_state'] === undefined) {
    kwargs['initial_state'] = inputs.slice(1).map(encodeKerasTensor);
    return { inputs: inputs.slice(0, 1), kwargs };
  }
  const upgraded: CallNode = { inputs, kwargs };
  if (node.inputsAsList === true) upgraded.inputsAsList = true;
  if (node.args !== undefined) upgraded.args = node.args;
  return upgraded;
}

/**
 * Rewrites a model in Keras 3 form into the Keras 2 form TF.js Layers reads: functional class
 * `Model`, plain dtype strings, serialized objects without `module` / `registered_name`,
 * `batch_input_shape`, recurrent initial states as extra inputs of the call, nested models'
 * calls numbered from 1.
 *
 * @packageDocumentation
 */
import type { CallNode, JsonObject, JsonValue, LayerIR, ModelIR, TensorRef } from '../ir.js';
import { nodeIndexOffsets } from '../walk.js';
import { isJsonObject } from './json.js';
import { decodeKerasTensor, isKerasTensorJson } from './keras3.js';
import { LEGACY_HARD_SIGMOID } from './legacy-activations.js';

/** A Keras 3 serialized value in Keras 2 form: `DTypePolicy` → its name, objects without `module`. */
function plainValue(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(plainValue);
  if (!isJsonObject(value)) return value;
  if (
    value['class_name'] === 'DTypePolicy' &&
    isJsonObject(value['config']) &&
    typeof value['config']['name'] === 'string'
  )
    return value['config']['name'];
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if ((key === 'module' || key === 'registered_name') && 'class_name' in value) continue;
    // Keras 2 / TF.js's own name for clip(0.2x + 0.5, 0, 1).
    out[key] = key.endsWith('activation') && item === LEGACY_HARD_SIGMOID ? 'hard_sigmoid' : plainValue(item);
  }
  return out;
}

function plainConfig(layer: LayerIR): JsonObject {
  const config = plainValue(layer.config) as JsonObject;
  if (layer.className === 'InputLayer' && 'batch_shape' in config) {
    config['batch_input_shape'] = config['batch_shape']!;
    delete config['batch_shape'];
    delete config['optional'];
  }
  return config;
}

/** Returns the Keras 2 / TF.js form of a Keras 3 `model` (a new object). */
export function downgradeToKeras2(model: ModelIR): ModelIR {
  const offsets = nodeIndexOffsets(model);
  const nested = new Set(model.layers.filter((layer) => layer.model !== undefined).map((layer) => layer.name));
  const renumber = (ref: TensorRef): TensorRef => {
    // Keras 2 / TF.js number every nested model's calls from 1 (its node 0 is its own).
    const legacyOffset = nested.has(ref.layer) ? 1 : 0;
    return { layer: ref.layer, node: ref.node - (offsets.get(ref.layer) ?? 0) + legacyOffset, index: ref.index };
  };
  const layers = model.layers.map((layer): LayerIR => {
    const out: LayerIR = {
      className: layer.className,
      name: layer.name,
      config: plainConfig(layer),
      nodes: layer.nodes.map((node) => downgradeNode(node, renumber)),
    };
    if (layer.model !== undefined) {
      out.model = downgradeToKeras2(layer.model);
      out.className = out.model.className;
    }
    return out;
  });
  const functional = model.className !== 'Sequential';
  const out: ModelIR = {
    className: functional ? 'Model' : 'Sequential',
    name: model.name,
    layers,
    inputs: model.inputs.map(renumber),
    outputs: model.outputs.map(renumber),
  };
  if (model.extraConfig !== undefined) out.extraConfig = plainValue(model.extraConfig) as JsonObject;
  return out;
}

function downgradeNode(node: CallNode, renumber: (ref: TensorRef) => TensorRef): CallNode {
  const inputs = node.inputs.map(renumber);
  const kwargs: JsonObject = {};
  const states: TensorRef[] = [];
  for (const [key, value] of Object.entries(node.kwargs ?? {})) {
    if (key === 'initial_state' && value !== null) {
      // Keras 2's RNN.__call__ recorded the states as extra inputs of the call.
      for (const item of Array.isArray(value) ? value : [value])
        if (isKerasTensorJson(item)) states.push(renumber(decodeKerasTensor(item, 'initial_state')));
      continue;
    }
    // Keras 3 writes `mask: null` etc.; Keras 2 left unset arguments out.
    if (value === null) continue;
    kwargs[key] = plainValue(value);
  }
  const out: CallNode = {
    inputs: [...inputs, ...states].map(({ layer, node: index, index: tensor }) => ({
      layer,
      node: index,
      index: tensor,
    })),
  };
  if (Object.keys(kwargs).length > 0) out.kwargs = kwargs;
  if (node.inputsAsList === true || states.length > 0) out.inputsAsList = true;
  return out;
}

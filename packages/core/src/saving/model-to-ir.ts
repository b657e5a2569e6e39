/**
 * `modelToIR`: a runtime model → the Strata model IR in Keras 3 form (what Keras's
 * `get_config()` / `serialize_keras_object` write).
 */
import type { CallNode, JsonObject, JsonValue, LayerIR, ModelIR, TensorLayout, TensorRef } from '@strata/graph';
import { encodeKeras3Config } from '@strata/graph';
import { Functional } from '../engine/functional.js';
import { InputLayer } from '../engine/input-layer.js';
import { positionalInputCount, type CallNodeRecord, type KerasTensor } from '../engine/keras-tensor.js';
import type { Layer } from '../engine/layer.js';
import { Sequential } from '../engine/sequential.js';
import { toSnakeCase } from '../utils/config-case.js';
import { compileConfigOf } from './compile-config.js';
import { layerToIR, toJson } from './layer-ir.js';
import { OpLayer } from '../layers/ops/op-layer.js';
import { ConfigurationError } from '../utils/errors.js';

/** Keras 3 writes a functional model's class from its Python module (it is not a public `keras.*` name). */
export const FUNCTIONAL_MODULE = 'keras.src.models.functional';

/**
 * Keras numbers a nested functional model's calls from 1: node 0 is the model's own
 * input→output node (`Functional.get_config`'s `kept_nodes = 1`). Sequential models do not have it.
 */
export function nodeIndexOffset(layer: Layer): number {
  return layer instanceof Functional && !(layer instanceof Sequential) ? 1 : 0;
}

interface StructureFlags {
  singleInput: boolean;
  singleOutput: boolean;
}

function structureOf(model: Functional): StructureFlags {
  // `singleInput`/`singleOutput` are protected: they say whether the model was built from a
  // bare tensor or a list, which decides whether Keras writes a flat triple or a list.
  const flags = model as unknown as StructureFlags;
  return { singleInput: flags.singleInput, singleOutput: flags.singleOutput };
}

function dtypePolicy(layer: Layer): JsonObject {
  return { module: 'keras', class_name: 'DTypePolicy', config: { name: layer.dtype }, registered_name: null };
}

/**
 * Describes a model (Sequential, functional or `Model`) in the IR, Keras 3 style:
 * built-in layers under module `keras.layers`, custom registered layers as `"package>Name"`,
 * nested models inline, call kwargs (`training`, `initial_state`) kept, plus
 * `build_config` and, when the model is compiled, `compile_config`.
 *
 * @throws ModelLoadError when a layer's class is not registered (it could not be loaded back)
 */
export function modelToIR(model: Functional): ModelIR {
  const ir = model instanceof Sequential ? sequentialToIR(model) : functionalToIR(model);
  const compileConfig = compileConfigOf(model);
  if (compileConfig !== undefined) ir.compileConfig = compileConfig;
  return ir;
}

function sequentialToIR(model: Sequential): ModelIR {
  const layers: LayerIR[] = [];
  const input = model.input;
  if (input !== null) layers.push(layerToIR(input));
  for (const layer of model.layers) layers.push(memberToIR(layer));
  // The IR walks every model as a graph: chain the calls as the decoders do.
  let previous: TensorRef | undefined;
  for (const layer of layers) {
    if (layer.className === 'InputLayer' && previous === undefined) {
      previous = { layer: layer.name, node: 0, index: 0 };
      continue;
    }
    layer.nodes = [{ inputs: previous === undefined ? [] : [previous] }];
    previous = { layer: layer.name, node: 0, index: 0 };
  }
  const extraConfig: JsonObject = { trainable: model.trainable, dtype: dtypePolicy(model) };
  if (input !== null) extraConfig['build_input_shape'] = toJson(input.batchShape);
  const ir: ModelIR = {
    className: 'Sequential',
    name: model.name,
    layers,
    inputs: input !== null ? [{ layer: input.name, node: 0, index: 0 }] : [],
    outputs: previous !== undefined ? [previous] : [],
    extraConfig,
    module: 'keras',
    registeredName: null,
  };
  if (input !== null) ir.buildConfig = { input_shape: toJson(input.batchShape) };
  return ir;
}

function functionalToIR(model: Functional): ModelIR {
  const ownNodes = new Set<CallNodeRecord>(model.executionNodes);
  for (const t of model.inputs) ownNodes.add(t.node);
  // Keras re-numbers each layer's calls, keeping only those of this model.
  const renumbered = new Map<CallNodeRecord, number>();
  for (const layer of model.layers) {
    let kept = nodeIndexOffset(layer);
    for (const node of layer.inboundNodes) {
      if (ownNodes.has(node)) renumbered.set(node, kept++);
    }
  }
  const refOf = (t: KerasTensor): TensorRef => {
    const node = renumbered.get(t.node);
    if (node === undefined)
      throw new ConfigurationError(`Model "${model.name}": tensor ${t.toString()} comes from a call outside the model`);
    return { layer: t.sourceLayer.name, node, index: t.tensorIndex, shape: [...t.shape], dtype: t.dtype };
  };
  const layers = model.layers.map((layer): LayerIR => {
    const ir = memberToIR(layer);
    if (!(layer instanceof InputLayer)) {
      ir.nodes = layer.inboundNodes.filter((n) => ownNodes.has(n)).map((n) => callNodeToIR(n, refOf));
    }
    return ir;
  });
  const flags = structureOf(model);
  const layoutOf = (count: number, single: boolean): TensorLayout =>
    single && count === 1 ? 0 : Array.from({ length: count }, (_, i) => i);
  const bare = (ref: TensorRef): TensorRef => ({ layer: ref.layer, node: ref.node, index: ref.index });
  return {
    className: 'Functional',
    name: model.name,
    layers,
    inputs: model.inputs.map((t) => bare(refOf(t))),
    outputs: model.outputs.map((t) => bare(refOf(t))),
    extraConfig: { trainable: model.trainable },
    module: FUNCTIONAL_MODULE,
    registeredName: 'Functional',
    // What Keras 3 writes for every functional model (its `build(None)` records no shape).
    buildConfig: { input_shape: null },
    layout: {
      inputs: layoutOf(model.inputs.length, flags.singleInput),
      outputs: layoutOf(model.outputs.length, flags.singleOutput),
    },
  };
}

function callNodeToIR(node: CallNodeRecord, refOf: (t: KerasTensor) => TensorRef): CallNode {
  const kwargNames = node.tensorKwargNames ?? [];
  const argCount = positionalInputCount(node);
  const call: CallNode = { inputs: node.inputs.slice(0, argCount).map(refOf) };
  // Layers called as `layer(a, b)` (MultiHeadAttention) are written with positional args, as Keras does.
  if (node.inputsAsList && node.layer.positionalTensorArguments.length === 0) call.inputsAsList = true;
  // An op call's positional arguments are written whole (constants, or several tensors not as a list).
  if (node.layer instanceof OpLayer) call.args = node.layer.fileArgs(argCount);
  const kwargs: JsonObject = {};
  for (const [name, value] of Object.entries(node.kwargs)) {
    if (name !== 'training' && (value === null || ['boolean', 'number', 'string'].includes(typeof value)))
      kwargs[toSnakeCase(name)] = value as JsonValue;
  }
  if (typeof node.kwargs['training'] === 'boolean') kwargs['training'] = node.kwargs['training'];
  if (node.explicitMask === true) kwargs['mask'] = kerasTensorJson(refOf(node.inputs[argCount]!));
  // Inputs after the positional ones: the explicit mask, the initial states, the keyword tensors.
  const statesStart = argCount + (node.explicitMask === true ? 1 : 0);
  if (node.initialStateCount > 0) {
    kwargs['initial_state'] = node.inputs
      .slice(statesStart, statesStart + node.initialStateCount)
      .map((t) => kerasTensorJson(refOf(t)));
  }
  kwargNames.forEach((name, i) => {
    kwargs[toSnakeCase(name)] = kerasTensorJson(refOf(node.inputs[statesStart + node.initialStateCount + i]!));
  });
  call.kwargs = kwargs;
  return call;
}

/** A tensor reference as Keras 3's `__keras_tensor__` object (used inside call kwargs). */
export function kerasTensorJson(ref: TensorRef): JsonObject {
  const config: JsonObject = {};
  if (ref.shape !== undefined) config['shape'] = ref.shape as JsonValue;
  if (ref.dtype !== undefined) config['dtype'] = ref.dtype;
  config['keras_history'] = [ref.layer, ref.node, ref.index];
  return { class_name: '__keras_tensor__', config };
}

/** A layer of a model: a plain layer, or a nested model carried whole in `model`. */
function memberToIR(layer: Layer): LayerIR {
  if (!(layer instanceof Functional)) return layerToIR(layer);
  const nested = modelToIR(layer);
  delete nested.compileConfig;
  const json = encodeKeras3Config(nested);
  const ir: LayerIR = {
    className: nested.className,
    name: nested.name,
    config: json['config'] as JsonObject,
    module: nested.module ?? 'keras',
    registeredName: nested.registeredName ?? null,
    nodes: [],
    model: nested,
  };
  if (nested.buildConfig !== undefined) ir.buildConfig = nested.buildConfig;
  return ir;
}

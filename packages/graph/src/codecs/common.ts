import type { CallNode, FileLayout, JsonObject, JsonValue, LayerIR, ModelIR } from '../ir.js';
import { ModelFormatError } from './errors.js';
import {
  expectArray,
  expectObject,
  expectString,
  isJsonObject,
  omitKeys,
  optionalObject,
  optionalRegisteredName,
  optionalString,
  rejectPrototypeKeys,
  dot,
} from './json.js';
import { decodeTensorLayout, encodeTensorLayout } from './layout.js';
import { chainSequentialLayers } from './sequential.js';

/** How one format writes the calls (`inbound_nodes`) of a layer. */
export interface NodeFormat {
  decode(value: JsonValue | undefined, where: string): CallNode[];
  encode(nodes: readonly CallNode[]): JsonValue;
  /** Whether encoding fills `module` / `registered_name` for layers that lack them (Keras 3). */
  fillKeras3Defaults: boolean;
}

/** Class names that denote a model; a layer with one of them is a nested model. */
export const MODEL_CLASS_NAMES: ReadonlySet<string> = new Set(['Sequential', 'Functional', 'Model']);

const OBJECT_KEYS = ['module', 'class_name', 'config', 'registered_name', 'build_config', 'compile_config'];
const MODEL_CONFIG_KEYS = ['name', 'layers', 'input_layers', 'output_layers'];
const LAYER_ENTRY_KEYS = ['name', 'inbound_nodes'];

/** Whether a serialized layer describes a model (nested `Sequential` / functional). */
function isModelObject(className: string, config: JsonValue | undefined): boolean {
  if (MODEL_CLASS_NAMES.has(className)) return true;
  return isJsonObject(config) && Array.isArray(config['layers']) && 'output_layers' in config;
}

/** Decodes `{class_name, config, …}` of a model. `nested` drops a functional layer entry's own keys. */
export function decodeModelObject(json: JsonObject, where: string, format: NodeFormat, nested = false): ModelIR {
  if (!nested) rejectPrototypeKeys(json, where);
  const className = expectString(json['class_name'], `${dot(where)}class_name`);
  const rawConfig = json['config'];
  const layout: FileLayout = {};
  let config: JsonObject;
  let functional: boolean;
  if (Array.isArray(rawConfig)) {
    // Keras 2.0 wrote a Sequential's config as the bare list of its layers.
    config = { layers: rawConfig };
    layout.sequentialAsList = true;
    functional = false;
  } else {
    config = expectObject(rawConfig, `${dot(where)}config`);
    functional = className !== 'Sequential';
    if (functional && !('output_layers' in config)) {
      throw new ModelFormatError(
        `${dot(where)}config`,
        `expected "output_layers" in the config of a ${className} model`,
      );
    }
  }
  const name = layout.sequentialAsList ? 'sequential' : expectString(config['name'], `${dot(where)}config.name`);
  const layersWhere = `${dot(where)}config${layout.sequentialAsList ? '' : '.layers'}`;
  const layerList = expectArray(config['layers'], layersWhere);
  const layers = layerList.map((item, i) => decodeLayerObject(item, `${layersWhere}[${i}]`, format, functional));
  checkUniqueNames(layers, layersWhere);

  const model: ModelIR = { className, name, layers, inputs: [], outputs: [] };
  if (functional) {
    const inputs = decodeTensorLayout(config['input_layers'] ?? [], `${dot(where)}config.input_layers`);
    const outputs = decodeTensorLayout(config['output_layers'], `${dot(where)}config.output_layers`);
    model.inputs = inputs.refs;
    model.outputs = outputs.refs;
    layout.inputs = inputs.layout;
    layout.outputs = outputs.layout;
  } else {
    const chain = chainSequentialLayers(layers);
    model.inputs = chain.inputs;
    model.outputs = chain.outputs;
  }
  if (!layout.sequentialAsList) {
    const extra = omitKeys(config, MODEL_CONFIG_KEYS);
    if (Object.keys(extra).length > 0) model.extraConfig = extra;
  }
  const module = optionalString(json, 'module', where);
  if (module !== undefined) model.module = module;
  const registeredName = optionalRegisteredName(json, where);
  if (registeredName !== undefined) model.registeredName = registeredName;
  const buildConfig = optionalObject(json, 'build_config', where);
  if (buildConfig !== undefined) model.buildConfig = buildConfig;
  const compileConfig = optionalObject(json, 'compile_config', where);
  if (compileConfig !== undefined) model.compileConfig = compileConfig;
  const topLevel = omitKeys(json, nested ? [...OBJECT_KEYS, ...LAYER_ENTRY_KEYS] : OBJECT_KEYS);
  if (Object.keys(topLevel).length > 0) layout.topLevel = topLevel;
  if (Object.keys(layout).length > 0) model.layout = layout;
  return model;
}

function checkUniqueNames(layers: readonly LayerIR[], where: string): void {
  const seen = new Set<string>();
  layers.forEach((layer, i) => {
    if (seen.has(layer.name)) throw new ModelFormatError(`${where}[${i}]`, `duplicate layer name "${layer.name}"`);
    seen.add(layer.name);
  });
}

function decodeLayerObject(value: JsonValue, where: string, format: NodeFormat, functional: boolean): LayerIR {
  const json = expectObject(value, where);
  const className = expectString(json['class_name'], `${dot(where)}class_name`);
  const rawConfig = json['config'];
  // A nested Keras 2.0 Sequential may carry its layers as a bare list; `model` keeps the detail.
  const config = Array.isArray(rawConfig) ? { layers: rawConfig } : expectObject(rawConfig, `${dot(where)}config`);
  const entryName = functional ? json['name'] : undefined;
  const name = expectString(entryName ?? config['name'], `${where}${entryName === undefined ? '.config' : ''}.name`);
  const layer: LayerIR = { className, name, config, nodes: [] };
  const module = optionalString(json, 'module', where);
  if (module !== undefined) layer.module = module;
  const registeredName = optionalRegisteredName(json, where);
  if (registeredName !== undefined) layer.registeredName = registeredName;
  const buildConfig = optionalObject(json, 'build_config', where);
  if (buildConfig !== undefined) layer.buildConfig = buildConfig;
  if (functional) layer.nodes = format.decode(json['inbound_nodes'], `${dot(where)}inbound_nodes`);
  if (isModelObject(className, json['config'])) layer.model = decodeModelObject(json, where, format, true);
  return layer;
}

/** Encodes a model as `{class_name, config, …}` (plus `module` etc. where the IR has them). */
export function encodeModelObject(model: ModelIR, format: NodeFormat): JsonObject {
  const layout = model.layout ?? {};
  const functional = model.className !== 'Sequential';
  const layers = model.layers.map((layer) => encodeLayerObject(layer, format, functional));
  let config: JsonValue;
  if (layout.sequentialAsList && !functional) {
    config = layers;
  } else {
    const extra = { ...(model.extraConfig ?? {}) };
    const buildInputShape = extra['build_input_shape'];
    delete extra['build_input_shape'];
    const object: JsonObject = { name: model.name, ...extra, layers };
    if (functional) {
      object['input_layers'] = encodeTensorLayout(model.inputs, layout.inputs);
      object['output_layers'] = encodeTensorLayout(model.outputs, layout.outputs);
    }
    if (buildInputShape !== undefined) object['build_input_shape'] = buildInputShape;
    config = object;
  }
  const json: JsonObject = {};
  const module = model.module ?? (format.fillKeras3Defaults ? 'keras' : undefined);
  if (module !== undefined) json['module'] = module;
  json['class_name'] = model.className;
  json['config'] = config;
  const registeredName =
    model.registeredName !== undefined ? model.registeredName : format.fillKeras3Defaults ? null : undefined;
  if (registeredName !== undefined) json['registered_name'] = registeredName;
  if (model.buildConfig !== undefined) json['build_config'] = model.buildConfig;
  if (model.compileConfig !== undefined) json['compile_config'] = model.compileConfig;
  return { ...json, ...(layout.topLevel ?? {}) };
}

function encodeLayerObject(layer: LayerIR, format: NodeFormat, functional: boolean): JsonObject {
  let json: JsonObject;
  if (layer.model !== undefined) {
    json = encodeModelObject(layer.model, format);
    for (const key of LAYER_ENTRY_KEYS) delete json[key];
  } else {
    json = {};
    const module = layer.module ?? (format.fillKeras3Defaults ? 'keras.layers' : undefined);
    if (module !== undefined) json['module'] = module;
    json['class_name'] = layer.className;
    json['config'] = layer.config;
    const registeredName =
      layer.registeredName !== undefined ? layer.registeredName : format.fillKeras3Defaults ? null : undefined;
    if (registeredName !== undefined) json['registered_name'] = registeredName;
    if (layer.buildConfig !== undefined) json['build_config'] = layer.buildConfig;
  }
  if (functional) {
    json['name'] = layer.name;
    json['inbound_nodes'] = format.encode(layer.nodes);
  }
  return json;
}

/** Looks for the first `inbound_nodes` entry anywhere in a model config and tells its style. */
export function findNodeStyle(config: JsonValue | undefined): 'keras3' | 'keras2' | undefined {
  const layers = isJsonObject(config) ? config['layers'] : config;
  if (!Array.isArray(layers)) return undefined;
  for (const layer of layers) {
    if (!isJsonObject(layer)) continue;
    const nodes = layer['inbound_nodes'];
    if (Array.isArray(nodes) && nodes.length > 0) return isJsonObject(nodes[0]) ? 'keras3' : 'keras2';
    const nested = findNodeStyle(layer['config']);
    if (nested !== undefined) return nested;
  }
  return undefined;
}

/**
 * Editing a model through its IR: rebuild a model after an edit with its weights carried over
 * by layer name, find the consumers of a tensor, and insert a layer on an edge so that every
 * consumer of X consumes the new layer instead. Works the same on models loaded from Keras files.
 */
import type { CallNode, JsonObject, JsonValue, LayerIR, ModelIR, TensorRef } from '@strata/graph';
import { Functional, Layer, layerToIR, modelFromIR, modelToIR, type Model } from '../core-api.js';

/** A call of a layer in the IR. */
export interface NodeRef {
  layer: LayerIR;
  nodeIndex: number;
}

const sameTensor = (a: TensorRef, b: TensorRef): boolean =>
  a.layer === b.layer && a.node === b.node && a.index === b.index;

/** The file node index of a layer's `i`-th call (a nested functional model's calls start at 1). */
export function fileNodeIndex(layer: LayerIR, i: number): number {
  return layer.model !== undefined && layer.model.className !== 'Sequential' ? i + 1 : i;
}

/** The output refs of one call of a layer (one per output of the call). */
export function outputRefsOf(ir: ModelIR, node: NodeRef): TensorRef[] {
  const node0 = fileNodeIndex(node.layer, node.nodeIndex);
  const refs: TensorRef[] = [];
  const seen = new Set<number>();
  const visit = (ref: TensorRef): void => {
    if (ref.layer === node.layer.name && ref.node === node0 && !seen.has(ref.index)) {
      seen.add(ref.index);
      refs.push(ref);
    }
  };
  for (const layer of ir.layers) for (const n of layer.nodes) n.inputs.forEach(visit);
  ir.outputs.forEach(visit);
  if (refs.length === 0) refs.push({ layer: node.layer.name, node: node0, index: 0 });
  return refs.sort((a, b) => a.index - b.index);
}

/** The calls that take `ref` as an input. */
export function consumersOf(ir: ModelIR, ref: TensorRef): NodeRef[] {
  const found: NodeRef[] = [];
  for (const layer of ir.layers) {
    layer.nodes.forEach((node, nodeIndex) => {
      if (node.inputs.some((r) => sameTensor(r, ref)) || stateRefs(node).some((r) => sameTensor(r, ref)))
        found.push({ layer, nodeIndex });
    });
  }
  return found;
}

/** Whether `ref` is one of the model's outputs. */
export function isModelOutput(ir: ModelIR, ref: TensorRef): boolean {
  return ir.outputs.some((r) => sameTensor(r, ref));
}

/** The call that produced `ref`, or undefined for model inputs. */
export function producerOf(ir: ModelIR, ref: TensorRef): NodeRef | undefined {
  const layer = ir.layers.find((l) => l.name === ref.layer);
  if (layer === undefined || layer.className === 'InputLayer') return undefined;
  const nodeIndex = layer.model !== undefined && layer.model.className !== 'Sequential' ? ref.node - 1 : ref.node;
  return layer.nodes[nodeIndex] === undefined ? undefined : { layer, nodeIndex };
}

function stateRefs(node: CallNode): TensorRef[] {
  const states = node.kwargs?.['initial_state'];
  const list = Array.isArray(states) ? states : states === undefined || states === null ? [] : [states];
  const refs: TensorRef[] = [];
  for (const item of list) {
    const history = historyOf(item);
    if (history !== undefined)
      refs.push({ layer: history[0] as string, node: history[1] as number, index: history[2] as number });
  }
  return refs;
}

function historyOf(value: JsonValue): JsonValue[] | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const config = value['config'];
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return undefined;
  const history = config['keras_history'];
  return Array.isArray(history) && history.length === 3 ? history : undefined;
}

/** A layer name not used in the model: `base`, else `base_1`, `base_2`, … */
export function uniqueLayerName(ir: ModelIR, base: string): string {
  const taken = new Set(ir.layers.map((l) => l.name));
  if (!taken.has(base)) return base;
  for (let i = 1; ; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`;
}

/**
 * Inserts `layer` (a runtime layer, serialized here) on the edge leaving `ref`: it consumes
 * `ref`, and every call and model output that consumed `ref` consumes the new layer's output.
 * The layer must keep the tensor's shape (as dropout layers do).
 */
export function insertOnEdge(ir: ModelIR, ref: TensorRef, layer: Layer): LayerIR {
  const inserted = layerToIR(layer);
  const input: TensorRef = { ...ref };
  inserted.nodes = [{ inputs: [input], kwargs: {} }];
  const replacement = (old: TensorRef): TensorRef => ({ ...old, layer: inserted.name, node: 0, index: 0 });
  for (const other of ir.layers) {
    for (const node of other.nodes) {
      node.inputs = node.inputs.map((r) => (sameTensor(r, ref) ? replacement(r) : r));
      rewriteStates(node, ref, inserted.name);
    }
  }
  ir.outputs = ir.outputs.map((r) => (sameTensor(r, ref) ? replacement(r) : r));
  const at = ir.layers.findIndex((l) => l.name === ref.layer);
  ir.layers.splice(at + 1, 0, inserted);
  return inserted;
}

function rewriteStates(node: CallNode, ref: TensorRef, newLayer: string): void {
  const states = node.kwargs?.['initial_state'];
  if (states === undefined || states === null) return;
  for (const item of Array.isArray(states) ? states : [states]) {
    const history = historyOf(item);
    if (history !== undefined && history[0] === ref.layer && history[1] === ref.node && history[2] === ref.index) {
      ((item as JsonObject)['config'] as JsonObject)['keras_history'] = [newLayer, 0, 0];
    }
  }
}

/** Replaces a layer's class and config (keeping its name and calls) by those of `layer`. */
export function replaceLayer(_ir: ModelIR, target: LayerIR, layer: Layer): void {
  const replacement = layerToIR(layer);
  target.className = replacement.className;
  target.config = { ...replacement.config, name: target.name };
  target.module = replacement.module;
  target.registeredName = replacement.registeredName;
  if (target.buildConfig !== undefined && replacement.buildConfig === undefined) delete target.buildConfig;
}

/**
 * Copies weights from `source` to `target` layer by layer name, when the weight shapes agree;
 * returns the names of the layers copied. Nested models are copied whole.
 */
export function copyWeightsByName(source: Functional, target: Functional): string[] {
  const copied: string[] = [];
  const sourceLayers = new Map(source.layers.map((l) => [l.name, l]));
  for (const layer of target.layers) {
    const from = sourceLayers.get(layer.name);
    if (from === undefined || from.weights.length === 0 || from.weights.length !== layer.weights.length) continue;
    const compatible = from.weights.every((w, i) => w.shape.join(',') === layer.weights[i]!.shape.join(','));
    if (!compatible) continue;
    const values = from.getWeights();
    try {
      layer.setWeights(values);
    } finally {
      for (const v of values) v.dispose();
    }
    copied.push(layer.name);
  }
  return copied;
}

/**
 * Serializes a model to the IR, lets `edit` change it, rebuilds a new model (compiled again with
 * the same settings when the original was, with a fresh optimizer state) and copies the weights by
 * layer name. The original is left untouched.
 */
export function rebuildModel(model: Model, edit: (ir: ModelIR) => void): Model {
  const ir = modelToIR(model);
  edit(ir);
  const rebuilt = modelFromIR(ir);
  copyWeightsByName(model, rebuilt);
  return rebuilt;
}

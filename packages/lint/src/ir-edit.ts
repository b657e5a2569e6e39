/**
 * In-place edits of a model IR used by fixes: remove a pass-through layer and rewire its
 * consumers, or change a layer's class and config. All edits check their preconditions
 * against the current IR (an earlier fix may have changed it) and return whether they applied.
 */
import type { JsonObject, LayerIR, ModelIR, TensorRef } from '@strata/graph';
import { modelAtPath } from './graph-util.js';

/** Finds a layer by name in the (nested) model at `path`. */
export function findLayer(
  root: ModelIR,
  path: readonly string[],
  name: string,
): { model: ModelIR; layer: LayerIR } | undefined {
  const model = modelAtPath(root, path);
  const layer = model?.layers.find((l) => l.name === name);
  return model && layer ? { model, layer } : undefined;
}

/**
 * Removes a single-input, single-call layer and points everything that read its output
 * (consumers' inputs and model outputs) at its input instead. A Keras 2 Sequential model's
 * declared input shape moves to the next layer.
 */
export function removePassThroughLayer(model: ModelIR, layer: LayerIR): boolean {
  const index = model.layers.indexOf(layer);
  if (index < 0) return false;
  let source: TensorRef | undefined;
  if (layer.nodes.length === 1 && layer.nodes[0]!.inputs.length === 1) {
    source = layer.nodes[0]!.inputs[0];
  } else if (layer.nodes.length === 0 && model.className === 'Sequential' && index > 0) {
    source = { layer: model.layers[index - 1]!.name, node: 0, index: 0 };
  }
  const readsOutput = (ref: TensorRef): boolean => ref.layer === layer.name;
  if (!source) {
    // Only the first layer of a Sequential model has no input; it can go if nothing else is lost.
    if (!(model.className === 'Sequential' && index === 0 && model.layers.length > 1)) return false;
    const next = model.layers[1]!;
    next.nodes = next.nodes.map((node) => ({ ...node, inputs: node.inputs.filter((ref) => !readsOutput(ref)) }));
    if (next.nodes.every((node) => node.inputs.length === 0)) next.nodes = [];
  } else {
    const replacement = source;
    for (const other of model.layers) {
      for (const node of other.nodes) {
        node.inputs = node.inputs.map((ref) => (readsOutput(ref) ? { ...replacement } : ref));
      }
    }
    model.outputs = model.outputs.map((ref) => (readsOutput(ref) ? { ...replacement } : ref));
  }
  moveDeclaredInputShape(model, layer, index);
  model.layers.splice(index, 1);
  return true;
}

function moveDeclaredInputShape(model: ModelIR, layer: LayerIR, index: number): void {
  const next = model.layers[index + 1];
  if (model.className !== 'Sequential' || index !== 0 || !next) return;
  for (const key of ['batch_input_shape', 'batch_shape', 'input_shape']) {
    const value = layer.config[key];
    if (value !== undefined && next.config[key] === undefined) next.config[key] = value;
  }
  if (layer.buildConfig && !next.buildConfig) next.buildConfig = layer.buildConfig;
}

/** Replaces a layer's class and config, keeping its name and calls. */
export function replaceLayer(layer: LayerIR, className: string, config: JsonObject): void {
  layer.className = className;
  layer.config = { ...config, name: layer.name };
}

/** Copies the config keys every Keras layer shares (name, trainable, dtype) plus `extra`. */
export function baseConfig(layer: LayerIR, extra: JsonObject): JsonObject {
  const config: JsonObject = { name: layer.name };
  for (const key of ['trainable', 'dtype']) {
    const value = layer.config[key];
    if (value !== undefined) config[key] = value;
  }
  return { ...config, ...extra };
}

/**
 * Private graph helpers for the rules: a read-only view of one model's layer graph
 * (producers, consumers, outputs, topological order). Unlike `@strata/graph`'s `callOrder`
 * / `topologicalOrder`, which throw on cycles and dangling references, this view tolerates
 * them: a malformed file still gets linted.
 */
import { callInputs, type LayerIR, type ModelIR, type TensorRef } from '@strata/graph';

/** A read-only view of one (possibly nested) model's layer graph. */
export interface GraphView {
  readonly model: ModelIR;
  /** Layers in topological order (config order breaks ties). */
  readonly order: readonly LayerIR[];
  /** Position of a layer in `order`. */
  indexOf(layer: LayerIR): number;
  layer(name: string): LayerIR | undefined;
  /** Distinct layers whose outputs feed any call of `layer`, in input order. */
  producers(layer: LayerIR): LayerIR[];
  /** Distinct layers that consume any output of `layer`. */
  consumers(layer: LayerIR): LayerIR[];
  /** Whether an output of `layer` is a model output. */
  isOutput(layer: LayerIR): boolean;
  /** Whether `layer` is an `InputLayer` or a model input. */
  isInput(layer: LayerIR): boolean;
}

/**
 * The input refs of every call of `layer`: positional inputs first, then tensors passed as
 * keyword arguments (e.g. `value=` of MultiHeadAttention). A Sequential model whose layers
 * carry no nodes is read as a chain in list order.
 */
export function inputRefsOf(model: ModelIR, layer: LayerIR): TensorRef[] {
  const fromNodes = layer.nodes.flatMap((node) => safeCallInputs(node));
  if (fromNodes.length > 0 || model.className !== 'Sequential') return fromNodes;
  if (model.layers.every((l) => l.nodes.length === 0)) {
    const index = model.layers.indexOf(layer);
    const previous = index > 0 ? model.layers[index - 1] : undefined;
    if (previous) return [{ layer: previous.name, node: 0, index: 0 }];
  }
  return [];
}

function safeCallInputs(node: LayerIR['nodes'][number]): TensorRef[] {
  try {
    return callInputs(node).map((input) => input.ref);
  } catch {
    // A malformed tensor record in kwargs: fall back to the positional inputs.
    return node.inputs;
  }
}

/** Builds a graph view over one model (not descending into nested models). */
export function buildGraphView(model: ModelIR): GraphView {
  const byName = new Map<string, LayerIR>();
  for (const layer of model.layers) byName.set(layer.name, layer);
  const producerMap = new Map<LayerIR, LayerIR[]>();
  const consumerMap = new Map<LayerIR, LayerIR[]>();
  for (const layer of model.layers) {
    producerMap.set(layer, []);
    consumerMap.set(layer, []);
  }
  for (const layer of model.layers) {
    for (const ref of inputRefsOf(model, layer)) {
      const producer = byName.get(ref.layer);
      if (!producer) continue;
      const producers = producerMap.get(layer)!;
      if (!producers.includes(producer)) producers.push(producer);
      const consumers = consumerMap.get(producer)!;
      if (!consumers.includes(layer)) consumers.push(layer);
    }
  }
  const outputNames = new Set(model.outputs.map((ref) => ref.layer));
  if (model.outputs.length === 0 && model.layers.length > 0) {
    // A Sequential model without recorded outputs ends at its last layer.
    outputNames.add(model.layers[model.layers.length - 1]!.name);
  }
  const inputNames = new Set(model.inputs.map((ref) => ref.layer));
  const order = topologicalOrder(model.layers, producerMap);
  const indexMap = new Map<LayerIR, number>();
  order.forEach((layer, i) => indexMap.set(layer, i));
  return {
    model,
    order,
    indexOf: (layer) => indexMap.get(layer) ?? -1,
    layer: (name) => byName.get(name),
    producers: (layer) => producerMap.get(layer) ?? [],
    consumers: (layer) => consumerMap.get(layer) ?? [],
    isOutput: (layer) => outputNames.has(layer.name),
    isInput: (layer) => layer.className === 'InputLayer' || inputNames.has(layer.name),
  };
}

/**
 * The order of repeated passes over the layers in config order, each pass taking every layer
 * whose producers are taken; layers in a cycle (malformed files) are appended in config order.
 * Computed in linear time (plus a sort): a layer's pass is the latest pass of its producers,
 * plus one for a producer listed after it (which that pass reaches too late). Repeating the
 * passes literally is quadratic for a chain listed in reverse.
 */
function topologicalOrder(layers: LayerIR[], producerMap: Map<LayerIR, LayerIR[]>): LayerIR[] {
  const index = new Map<LayerIR, number>(layers.map((layer, i) => [layer, i]));
  const remaining = new Map<LayerIR, number>();
  const consumers = new Map<LayerIR, LayerIR[]>();
  for (const layer of layers) {
    remaining.set(layer, producerMap.get(layer)!.length);
    consumers.set(layer, []);
  }
  for (const layer of layers) for (const p of producerMap.get(layer)!) consumers.get(p)!.push(layer);
  const pass = new Map<LayerIR, number>();
  const queue = layers.filter((layer) => remaining.get(layer) === 0);
  for (const layer of queue) pass.set(layer, 0);
  for (let next = 0; next < queue.length; next++) {
    const layer = queue[next]!;
    for (const c of consumers.get(layer)!) {
      const late = index.get(layer)! > index.get(c)! ? 1 : 0;
      pass.set(c, Math.max(pass.get(c) ?? 0, pass.get(layer)! + late));
      remaining.set(c, remaining.get(c)! - 1);
      if (remaining.get(c) === 0) queue.push(c);
    }
  }
  const order = [...queue].sort((a, b) => pass.get(a)! - pass.get(b)! || index.get(a)! - index.get(b)!);
  const done = new Set(order);
  for (const layer of layers) if (!done.has(layer)) order.push(layer);
  return order;
}

/** A layer reached by a walk, with the layers passed on the way (nearest first). */
export interface Reached {
  layer: LayerIR;
  via: LayerIR[];
}

/**
 * Walks from `start` against (`up`) or along (`down`) the edges, passing through layers for
 * which `passThrough` holds, and returns the first layers for which it does not.
 */
export function walkThrough(
  view: GraphView,
  start: LayerIR,
  direction: 'up' | 'down',
  passThrough: (layer: LayerIR) => boolean,
): Reached[] {
  const next = direction === 'up' ? view.producers : view.consumers;
  const found: Reached[] = [];
  const seen = new Set<LayerIR>([start]);
  const stack: Reached[] = next(start).map((layer) => ({ layer, via: [] }));
  while (stack.length > 0) {
    const item = stack.shift()!;
    if (seen.has(item.layer)) continue;
    seen.add(item.layer);
    if (passThrough(item.layer)) {
      for (const n of next(item.layer)) stack.push({ layer: n, via: [...item.via, item.layer] });
    } else {
      found.push(item);
    }
  }
  return found;
}

/** Whether `ancestor` is `layer` or lies upstream of it. */
export function isAncestor(view: GraphView, ancestor: LayerIR, layer: LayerIR): boolean {
  const seen = new Set<LayerIR>();
  const stack = [layer];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current === ancestor) return true;
    if (seen.has(current)) continue;
    seen.add(current);
    stack.push(...view.producers(current));
  }
  return false;
}

/** Finds the nested model at `path` (names of model layers, outermost first). */
export function modelAtPath(root: ModelIR, path: readonly string[]): ModelIR | undefined {
  let model: ModelIR | undefined = root;
  for (const name of path) {
    model = model?.layers.find((layer) => layer.name === name)?.model;
    if (!model) return undefined;
  }
  return model;
}

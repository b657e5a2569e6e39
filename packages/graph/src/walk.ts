/**
 * Graph walking over the model IR: lookups, producers / consumers of calls, a topological
 * order of calls and layers, and iteration over nested models.
 */
import { ModelFormatError } from './codecs/errors.js';
import { isHistoryTriple, isJsonObject } from './codecs/json.js';
import { decodeKerasTensor, isKerasTensorJson } from './codecs/keras3.js';
import type { CallNode, JsonValue, LayerIR, ModelIR, TensorRef } from './ir.js';
import { MinHeap } from './min-heap.js';

/** The layer named `name` in `ir` (top level only), or `undefined`. */
export function layerByName(ir: ModelIR, name: string): LayerIR | undefined {
  return ir.layers.find((layer) => layer.name === name);
}

/** A tensor a call reads, with the layer that produced it. */
export interface Producer {
  /** The tensor reference as written in the call. */
  ref: TensorRef;
  /** The producing layer; `undefined` when no layer of that name exists (a dangling reference). */
  layer: LayerIR | undefined;
  /** Set when the tensor was passed as a keyword argument (e.g. `mask`, `initial_state`). */
  kwarg?: string;
}

/**
 * The tensors read by the calls of `layerName` (all calls, or only call `node`): positional
 * inputs first, then Keras 3 `__keras_tensor__` values found in the call's kwargs.
 */
export function producersOf(ir: ModelIR, layerName: string, node?: number): Producer[] {
  const layer = layerByName(ir, layerName);
  if (layer === undefined) return [];
  const calls = node === undefined ? layer.nodes : layer.nodes.slice(node, node + 1);
  const names = namesOf(ir);
  return calls.flatMap((call) =>
    callInputs(call, names).map((input) => ({ ...input, layer: layerByName(ir, input.ref.layer) })),
  );
}

/** A call that reads an output of some layer. */
export interface Consumer {
  /** The consuming layer. */
  layer: LayerIR;
  /** Which call (node) of the consuming layer. */
  node: number;
  /** The tensor it reads. */
  ref: TensorRef;
  /** Set when the tensor is passed as a keyword argument. */
  kwarg?: string;
}

/** Every call in `ir` that reads an output of `layerName`, in layer then node order. */
export function consumersOf(ir: ModelIR, layerName: string): Consumer[] {
  const result: Consumer[] = [];
  const names = namesOf(ir);
  for (const layer of ir.layers) {
    layer.nodes.forEach((call, node) => {
      for (const input of callInputs(call, names)) {
        if (input.ref.layer === layerName) result.push({ layer, node, ...input });
      }
    });
  }
  return result;
}

/**
 * All tensors a call reads: positional inputs, then tensors inside its kwargs — Keras 3
 * `__keras_tensor__` values, and Keras 2 `[layer, node, index]` triples whose layer is one of
 * `layerNames` (Keras 2 writes tensors such as `initial_state` that way).
 */
export function callInputs(call: CallNode, layerNames?: ReadonlySet<string>): { ref: TensorRef; kwarg?: string }[] {
  const inputs: { ref: TensorRef; kwarg?: string }[] = call.inputs.map((ref) => ({ ref }));
  for (const [key, value] of Object.entries(call.kwargs ?? {})) {
    for (const ref of tensorsInKwarg(value, `kwargs.${key}`, layerNames)) inputs.push({ ref, kwarg: key });
  }
  return inputs;
}

function tensorsInKwarg(value: JsonValue, where: string, layerNames: ReadonlySet<string> | undefined): TensorRef[] {
  if (isKerasTensorJson(value)) return [decodeKerasTensor(value, where)];
  if (isHistoryTriple(value) && layerNames?.has(value[0]) === true)
    return [{ layer: value[0], node: value[1], index: value[2] }];
  if (Array.isArray(value)) return value.flatMap((item, i) => tensorsInKwarg(item, `${where}[${i}]`, layerNames));
  if (isJsonObject(value)) {
    return Object.entries(value).flatMap(([key, item]) => tensorsInKwarg(item, `${where}.${key}`, layerNames));
  }
  return [];
}

/**
 * How files number the calls of each nested model of `ir`, as an offset to add to a call's
 * position in `layer.nodes`: a nested model built on its own `Input` starts with a call of its
 * own (input → output) that files leave out, so they number its calls from 1. Keras 3 does this
 * for functional models only (`Functional.get_config`: `kept_nodes = 1`); Keras 2, tf.keras 2 and
 * TF.js also for Sequential models (`_should_skip_first_node`). A Sequential's offset is read
 * from the references themselves (a reference past its last call means numbering from 1), since
 * a Keras 3 legacy `.h5` and a tf.keras 2 `.h5` look alike otherwise.
 */
export function nodeIndexOffsets(ir: ModelIR): Map<string, number> {
  const offsets = new Map<string, number>();
  const maxReferenced = new Map<string, number>();
  const names = namesOf(ir);
  const note = (ref: TensorRef): void =>
    void maxReferenced.set(ref.layer, Math.max(maxReferenced.get(ref.layer) ?? -1, ref.node));
  for (const layer of ir.layers)
    for (const call of layer.nodes) for (const { ref } of callInputs(call, names)) note(ref);
  for (const ref of ir.outputs) note(ref);
  for (const layer of ir.layers) {
    if (layer.model === undefined) continue;
    const sequential = layer.model.className === 'Sequential';
    offsets.set(layer.name, !sequential || (maxReferenced.get(layer.name) ?? -1) >= layer.nodes.length ? 1 : 0);
  }
  return offsets;
}

/**
 * Resolves a reference's node index to the position of that call in its producer's `nodes`
 * (see {@link nodeIndexOffsets}); `offsets` defaults to those of `ir`.
 */
export function callIndexOf(
  ir: ModelIR,
  ref: TensorRef,
  offsets: ReadonlyMap<string, number> = nodeIndexOffsets(ir),
): number {
  return ref.node - (offsets.get(ref.layer) ?? 0);
}

function namesOf(ir: ModelIR): Set<string> {
  return new Set(ir.layers.map((layer) => layer.name));
}

/** One step of running a model: a call of a layer, or an input layer (which has no call). */
export interface CallStep {
  layer: LayerIR;
  /** Node index; `0` for an input layer. */
  node: number;
  /** The call; `undefined` for a layer without calls (an `InputLayer`). */
  call: CallNode | undefined;
}

/**
 * All calls of the model in an order where every call comes after the calls producing its
 * inputs; ties keep config order. Layers without calls (input layers) come as sources.
 *
 * @throws ModelFormatError on a reference to a missing layer or node, or on a cycle.
 */
export function callOrder(ir: ModelIR): CallStep[] {
  const steps: CallStep[] = [];
  for (const layer of ir.layers) {
    if (layer.nodes.length === 0) steps.push({ layer, node: 0, call: undefined });
    layer.nodes.forEach((call, node) => steps.push({ layer, node, call }));
  }
  const key = (layer: string, node: number): string => `${layer}\u0000${node}`;
  const stepIndex = new Map(steps.map((step, i) => [key(step.layer.name, step.node), i]));
  const waitingOn = steps.map(() => 0);
  const dependents: number[][] = steps.map(() => []);
  const names = namesOf(ir);
  const offsets = nodeIndexOffsets(ir);
  steps.forEach((step, i) => {
    const seen = new Set<number>();
    for (const { ref } of step.call === undefined ? [] : callInputs(step.call, names)) {
      const producer = stepIndex.get(key(ref.layer, callIndexOf(ir, ref, offsets)));
      if (producer === undefined) {
        const what =
          layerByName(ir, ref.layer) === undefined
            ? `missing layer "${ref.layer}"`
            : `missing node ${ref.node} of layer "${ref.layer}"`;
        throw new ModelFormatError(`layer "${step.layer.name}" node ${step.node}`, `input refers to ${what}`);
      }
      if (seen.has(producer)) continue;
      seen.add(producer);
      waitingOn[i] = (waitingOn[i] ?? 0) + 1;
      dependents[producer]?.push(i);
    }
  });
  const ready = new MinHeap();
  steps.forEach((_, i) => waitingOn[i] === 0 && ready.push(i));
  const order: CallStep[] = [];
  while (ready.size > 0) {
    const next = ready.pop()!;
    order.push(steps[next] as CallStep);
    for (const dependent of dependents[next] ?? []) {
      waitingOn[dependent] = (waitingOn[dependent] ?? 0) - 1;
      if (waitingOn[dependent] === 0) ready.push(dependent);
    }
  }
  if (order.length < steps.length) {
    const stuck = steps.filter((_, i) => (waitingOn[i] ?? 0) > 0).map((s) => `"${s.layer.name}"`);
    throw new ModelFormatError(
      `model "${ir.name}"`,
      `the layer graph has a cycle through ${[...new Set(stuck)].join(', ')}`,
    );
  }
  return order;
}

/**
 * The layers of `ir` in an order where each layer's first call comes after the layers it
 * reads from (see {@link callOrder}; a shared layer appears at its first call).
 */
export function topologicalOrder(ir: ModelIR): LayerIR[] {
  const seen = new Set<LayerIR>();
  for (const step of callOrder(ir)) seen.add(step.layer);
  return [...seen];
}

/** A layer found while walking a model and its nested models. */
export interface WalkedLayer {
  layer: LayerIR;
  /** Names of the enclosing models, outermost (the root model) first. */
  path: string[];
}

/** Every layer of `ir`, depth-first: each layer, then the layers of its nested model. */
export function* walkLayers(ir: ModelIR, path: string[] = [ir.name]): Generator<WalkedLayer> {
  for (const layer of ir.layers) {
    yield { layer, path };
    if (layer.model !== undefined) yield* walkLayers(layer.model, [...path, layer.model.name]);
  }
}

/**
 * `Functional`: a model as a graph of layer calls from symbolic inputs to outputs
 * (several inputs and outputs, shared layers, nested models). `Model` adds training
 * on top of it; `Sequential` builds its graph from a list.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import { InputLayer } from './input-layer.js';
import { KerasTensor, positionalInputCount, type CallNodeRecord } from './keras-tensor.js';
import { Layer, isShapeList, type CallContext, type CallKwargValue, type LayerArgs } from './layer.js';
import { summarize } from './summary.js';
import { formatShape, type LayerOutput, type TensorOrList } from './shape-utils.js';
import { ConfigurationError, InputShapeError, NotBuiltError } from '../utils/errors.js';

/** Options of a functional model. */
export interface FunctionalArgs {
  /** The model's input(s), from `Input()`. */
  inputs: KerasTensor | KerasTensor[];
  /** The model's output(s). */
  outputs: KerasTensor | KerasTensor[];
  /** Model name (default `functional`, `functional_1`, …). */
  name?: string;
  /** Whether the model's weights are trained (default true). */
  trainable?: boolean;
}

interface Value {
  tensor: tf.Tensor;
  mask: tf.Tensor | null;
}

/** The plain keyword arguments recorded on a call node, `training` aside (it is handled by the engine). */
function plainKwargs(node: CallNodeRecord): Record<string, CallKwargValue> {
  const out: Record<string, CallKwargValue> = {};
  for (const [name, value] of Object.entries(node.kwargs)) {
    if (name === 'training') continue;
    if (value === null || ['boolean', 'number', 'string'].includes(typeof value)) out[name] = value as CallKwargValue;
  }
  return out;
}

/** A graph of layer calls. Use `Model` (which adds training) rather than this class directly. */
export class Functional extends Layer {
  static override readonly className: string = 'Functional';
  /** Symbolic inputs. */
  inputs: KerasTensor[] = [];
  /** Symbolic outputs. */
  outputs: KerasTensor[] = [];
  /** Calls in execution order (InputLayer nodes excluded). */
  protected nodesInOrder: CallNodeRecord[] = [];
  private graphLayers: Layer[] = [];
  /** Whether `inputs`/`outputs` were given as single tensors (then `call` takes and returns one tensor). */
  protected singleInput = true;
  protected singleOutput = true;

  constructor(args: Partial<FunctionalArgs> & LayerArgs = {}) {
    super({ name: args.name, trainable: args.trainable });
    if (args.inputs !== undefined || args.outputs !== undefined) {
      if (args.inputs === undefined || args.outputs === undefined) {
        throw new ConfigurationError(`Model "${this.name}": give both inputs and outputs`);
      }
      this.initGraph(args.inputs, args.outputs);
    }
  }

  /** Builds the graph from inputs to outputs; errors name the tensor or layer that does not connect. */
  protected initGraph(inputs: KerasTensor | KerasTensor[], outputs: KerasTensor | KerasTensor[]): void {
    const inputList = Array.isArray(inputs) ? inputs : [inputs];
    const outputList = Array.isArray(outputs) ? outputs : [outputs];
    this.singleInput = !Array.isArray(inputs);
    this.singleOutput = !Array.isArray(outputs);
    if (inputList.length === 0 || outputList.length === 0) {
      throw new ConfigurationError(`Model "${this.name}": needs at least one input and one output`);
    }
    for (const [i, t] of inputList.entries()) {
      if (!(t instanceof KerasTensor) || !(t.sourceLayer instanceof InputLayer)) {
        throw new ConfigurationError(`Model "${this.name}": inputs[${i}] must come from Input(), got ${String(t)}`);
      }
    }
    for (const [i, t] of outputList.entries()) {
      if (!(t instanceof KerasTensor)) {
        throw new ConfigurationError(
          `Model "${this.name}": outputs[${i}] must be a KerasTensor (the result of layer.apply on symbolic inputs), got ${String(t)}`,
        );
      }
    }
    const inputIds = new Set(inputList.map((t) => t.id));
    const order: CallNodeRecord[] = [];
    const done = new Set<CallNodeRecord>();
    const active = new Set<CallNodeRecord>();
    // Depth-first post-order from the outputs, with an explicit stack: a chain of 10,000
    // layers would overflow the call stack of a recursive walk. As Keras's `_build_map`, each
    // layer's index in this traversal breaks ties in the layer order.
    const traversalIndex = new Map<Layer, number>();
    const stack: { node: CallNodeRecord; next: number }[] = [];
    const enter = (node: CallNodeRecord, consumer: string): void => {
      if (done.has(node)) return;
      if (active.has(node))
        throw new ConfigurationError(`Model "${this.name}": the graph has a cycle through layer "${node.layer.name}"`);
      if (!traversalIndex.has(node.layer)) traversalIndex.set(node.layer, traversalIndex.size);
      if (node.layer instanceof InputLayer) {
        if (!inputIds.has(node.outputs[0]!.id)) {
          throw new ConfigurationError(
            `Model "${this.name}": graph disconnected — layer "${consumer}" needs input "${node.layer.name}" ` +
              `${formatShape(node.layer.batchShape)}, which is not among the model's inputs ` +
              `[${inputList.map((t) => t.sourceLayer.name).join(', ')}]`,
          );
        }
        done.add(node);
        order.push(node);
        return;
      }
      active.add(node);
      stack.push({ node, next: 0 });
    };
    for (const out of outputList) {
      enter(out.node, '(model output)');
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        if (top.next < top.node.inputs.length) {
          enter(top.node.inputs[top.next++]!.node, top.node.layer.name);
        } else {
          stack.pop();
          active.delete(top.node);
          done.add(top.node);
          order.push(top.node);
        }
      }
    }
    const layerOrder = kerasLayerOrder(order, inputList, traversalIndex);
    const names = new Map<string, Layer>();
    for (const layer of layerOrder) {
      const other = names.get(layer.name);
      if (other !== undefined && other !== layer) {
        throw new ConfigurationError(
          `Model "${this.name}": two layers are named "${layer.name}"; layer names must be unique within a model`,
        );
      }
      names.set(layer.name, layer);
    }
    this.inputs = inputList;
    this.outputs = outputList;
    this.nodesInOrder = order.filter((n) => !(n.layer instanceof InputLayer));
    this.graphLayers = layerOrder;
    this.setTrackedLayers(layerOrder);
    this.built = true;
    this.builtInputShape = this.singleInput ? inputList[0]!.shape : inputList.map((t) => t.shape);
  }

  /** The model's layers (InputLayers included, as Keras's functional `model.layers`). */
  get layers(): Layer[] {
    return [...this.graphLayers];
  }

  /** The layer with this name, or at this index of `layers`. */
  getLayer(nameOrIndex: string | number): Layer {
    const layers = this.layers;
    const layer = typeof nameOrIndex === 'number' ? layers[nameOrIndex] : layers.find((l) => l.name === nameOrIndex);
    if (layer === undefined) {
      throw new ConfigurationError(
        `Model "${this.name}" has no layer ${JSON.stringify(nameOrIndex)}; layers: ${layers.map((l) => l.name).join(', ')}`,
      );
    }
    return layer;
  }

  /** The call nodes in execution order (for serialization and tools). */
  get executionNodes(): readonly CallNodeRecord[] {
    return this.nodesInOrder;
  }

  override build(_inputShape: Shape | Shape[]): void {
    if (this.inputs.length === 0) throw new NotBuiltError(`Model "${this.name}" has no inputs yet`);
  }

  call(inputs: TensorOrList, context: CallContext): LayerOutput {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const masks = Array.isArray(context.mask) ? context.mask : [context.mask ?? null];
    // Intermediate activations are freed when the call ends (the gradient tape keeps what it needs).
    return tf.tidy(() => {
      const outputs = this.runGraph(list, masks, context);
      return this.singleOutput ? outputs[0]! : outputs;
    });
  }

  /** Runs the graph on concrete inputs, propagating masks; returns the outputs. */
  protected runGraph(inputs: tf.Tensor[], masks: (tf.Tensor | null)[], context: CallContext): tf.Tensor[] {
    if (inputs.length !== this.inputs.length) {
      throw new InputShapeError(
        `Model "${this.name}" expects ${this.inputs.length} input(s) ` +
          `[${this.inputs.map((t) => `${t.sourceLayer.name} ${formatShape(t.shape)}`).join(', ')}], got ${inputs.length}`,
      );
    }
    const values = new Map<number, Value>();
    this.inputs.forEach((symbolic, i) => {
      values.set(symbolic.id, { tensor: this.checkInput(inputs[i]!, symbolic, i), mask: masks[i] ?? null });
    });
    for (const node of this.nodesInOrder) {
      const ins = node.inputs.map((t) => {
        const v = values.get(t.id);
        if (v === undefined)
          throw new Error(`Model "${this.name}": no value for the input of layer "${node.layer.name}"`);
        return v;
      });
      const kwargNames = node.tensorKwargNames ?? [];
      const kwargValues = ins.splice(ins.length - kwargNames.length, kwargNames.length);
      const states = ins.splice(ins.length - node.initialStateCount, node.initialStateCount);
      // A mask given explicitly (Keras 3's `mask` kwarg) replaces the one propagated from the inputs.
      const explicitMask = node.explicitMask === true ? ins.pop()!.tensor : null;
      const callInputs: TensorOrList = node.inputsAsList ? ins.map((v) => v.tensor) : ins[0]!.tensor;
      const inputMasks = ins.map((v) => v.mask);
      const propagated = inputMasks.some((m) => m !== null) ? (node.inputsAsList ? inputMasks : inputMasks[0]!) : null;
      const mask = explicitMask ?? propagated;
      const training =
        typeof node.kwargs['training'] === 'boolean' ? (node.kwargs['training'] as boolean) : context.training;
      const callContext: CallContext = { training, mask };
      if (states.length > 0) callContext.initialState = states.map((v) => v.tensor);
      const plain = plainKwargs(node);
      if (Object.keys(plain).length > 0) callContext.kwargs = plain;
      if (kwargNames.length > 0) {
        callContext.tensorKwargs = Object.fromEntries(kwargNames.map((name, i) => [name, kwargValues[i]!.tensor]));
        callContext.tensorKwargMasks = Object.fromEntries(kwargNames.map((name, i) => [name, kwargValues[i]!.mask]));
      }
      const out = node.layer.invoke(callInputs, callContext);
      // Keras's MultiHeadAttention deletes the masks of the tensors it reads (`set_keras_mask(query, None)`),
      // so later consumers of the same tensors see none; keep that behaviour.
      if (node.layer.clearsInputMasks) for (const v of ins) v.mask = null;
      const outList = Array.isArray(out) ? out : [out];
      const outMask = node.layer.computeMask(callInputs, mask, callContext);
      const outMasks = Array.isArray(outMask) ? outMask : outList.map(() => outMask);
      node.outputs.forEach((symbolic, i) => {
        const tensor = outList[i];
        if (tensor === undefined) {
          throw new ConfigurationError(
            `Layer "${node.layer.name}" (${node.layer.className}) returned ${outList.length} outputs, expected ${node.outputs.length}`,
          );
        }
        values.set(symbolic.id, { tensor, mask: outMasks[i] ?? null });
      });
    }
    return this.outputs.map((t) => values.get(t.id)!.tensor);
  }

  private checkInput(tensor: tf.Tensor, symbolic: KerasTensor, index: number): tf.Tensor {
    const expected = symbolic.shape;
    const actual = tensor.shape;
    const compatible = expected.length === actual.length && expected.every((d, i) => d === null || d === actual[i]);
    if (!compatible) {
      throw new InputShapeError(
        `Model "${this.name}": input ${index} ("${symbolic.sourceLayer.name}") expected shape ${formatShape(expected)}, ` +
          `got ${formatShape(actual)}`,
      );
    }
    if (symbolic.dtype !== tensor.dtype && (symbolic.dtype === 'float32' || symbolic.dtype === 'int32')) {
      return tf.cast(tensor, symbolic.dtype);
    }
    return tensor;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shapes = isShapeList(inputShape) ? inputShape : [inputShape];
    const known = new Map<number, Shape>();
    this.inputs.forEach((t, i) => known.set(t.id, shapes[i] ?? t.shape));
    for (const node of this.nodesInOrder) {
      const ins = node.inputs.slice(0, positionalInputCount(node)).map((t) => known.get(t.id) ?? t.shape);
      const out = node.layer.computeOutputShape(node.inputsAsList ? ins : ins[0]!, plainKwargs(node));
      const outs = isShapeList(out) ? out : [out];
      node.outputs.forEach((t, i) => known.set(t.id, outs[i] ?? t.shape));
    }
    const result = this.outputs.map((t) => known.get(t.id)!);
    return this.singleOutput ? result[0]! : result;
  }

  /** Whether `summary()` renders as a Sequential model (no InputLayer row, no "Connected to"). */
  protected get summaryAsSequential(): boolean {
    return false;
  }

  /**
   * Prints Keras's summary table (or passes each line to `print`).
   *
   * @example
   * ```ts
   * model.summary(); // layers, output shapes and parameter counts, as Keras prints them
   * model.summary((line) => lines.push(line)); // or collect the lines
   * ```
   */
  summary(print: (line: string) => void = console.log): void {
    for (const line of summarize(this, { sequential: this.summaryAsSequential }).split('\n')) print(line);
  }

  override computeMask(): null {
    return null;
  }
}

/**
 * The order of a functional model's layers as Keras's `map_graph` gives it (it decides the
 * config's layer list and the `layers/<class>_<n>` weight groups, so it must match Keras):
 * by depth — the longest path to an output — deepest first, ties by first visit in the
 * depth-first traversal from the outputs; inputs no output depends on come with depth 0, first among those.
 */
function kerasLayerOrder(
  order: readonly CallNodeRecord[],
  inputs: readonly KerasTensor[],
  traversalIndex: Map<Layer, number>,
): Layer[] {
  const inGraph = new Set(order);
  const nodeDepth = new Map<CallNodeRecord, number>();
  const layerDepth = new Map<Layer, number>();
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!;
    const depth = Math.max(nodeDepth.get(node) ?? 0, layerDepth.get(node.layer) ?? 0);
    layerDepth.set(node.layer, depth);
    nodeDepth.set(node, depth);
    for (const input of node.inputs) {
      const parent = input.node;
      if (inGraph.has(parent)) nodeDepth.set(parent, Math.max(depth + 1, nodeDepth.get(parent) ?? 0));
    }
  }
  const index = new Map(traversalIndex);
  for (const t of inputs) {
    if (!layerDepth.has(t.sourceLayer)) {
      layerDepth.set(t.sourceLayer, 0);
      index.set(t.sourceLayer, -1);
    }
  }
  return [...layerDepth.keys()].sort(
    (a, b) => layerDepth.get(b)! - layerDepth.get(a)! || index.get(a)! - index.get(b)!,
  );
}

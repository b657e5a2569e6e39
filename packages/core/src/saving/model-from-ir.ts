/**
 * `modelFromIR`: the Strata model IR → a runtime model. Layers come from the registry
 * only; functional graphs are rebuilt by replaying each call (`layer.apply` on symbolic
 * tensors) in dependency order, so shared layers, call kwargs and initial states return.
 */
import {
  nodeIndexOffsets,
  withLegacyActivations,
  writtenBeforeKeras3,
  type CallNode,
  type JsonValue,
  type LayerIR,
  type ModelIR,
  type TensorRef,
} from '@strata/graph';
import { InputLayer } from '../engine/input-layer.js';
import { KerasTensor } from '../engine/keras-tensor.js';
import type { ApplyArgs, CallKwargValue, Layer } from '../engine/layer.js';
import { toCamelCase } from '../utils/config-case.js';
import { Model } from '../engine/model.js';
import { Sequential } from '../engine/sequential.js';
import { ModelLoadError, resolveLayerClass } from './class-lookup.js';
import { restoreCompile } from './compile-config.js';
import { layerFromIR, legacyBatchInputShape } from './layer-ir.js';

import { sanitizeLegacyLayerNames } from './legacy-layer-names.js';
import { OpLayer } from '../layers/ops/op-layer.js';
// Model classes must be registered before any nested model is resolved.
import './register-models.js';

/** Options of {@link modelFromIR}. */
export interface ModelFromIROptions {
  /** Replay `compile_config` through `compile()` when the model has a training API (default true). */
  compile?: boolean;
  /**
   * The `keras_version` of the file the IR was read from (a legacy `.h5` root attribute), when
   * known. Files written by Keras < 3 or TF.js get `hard_sigmoid_legacy` for `hard_sigmoid`.
   */
  writerKerasVersion?: string;
}

/** True for IR decoded from Keras 2 / TF.js configs (no Keras 3 `module` on the model). */
function isLegacy(ir: ModelIR): boolean {
  return ir.module === undefined;
}

/**
 * Rebuilds a model from the IR (Keras 3, Keras 2 or TF.js origin). Only registered classes
 * are built; `Lambda` and unknown classes are refused with an error naming the layer.
 *
 * @throws ModelLoadError for unregistered classes or a graph that cannot be rebuilt
 */
export function modelFromIR(ir: ModelIR, options: ModelFromIROptions = {}): Model {
  const legacy = isLegacy(ir);
  // tf.keras 2 allowed "/" in layer names; they are renamed, with a warning.
  if (legacy) ir = sanitizeLegacyLayerNames(ir).ir;
  // Keras 2 / TF.js hard_sigmoid is not Keras 3's: keep the formula the file was written with.
  if (writtenBeforeKeras3(ir, options.writerKerasVersion)) ir = withLegacyActivations(ir);
  const model = buildModel(ir, legacy);
  if (options.compile !== false) restoreCompile(model, ir.compileConfig);
  return model;
}

function buildModel(ir: ModelIR, legacy: boolean): Model {
  resolveLayerClass(
    ir.className === 'Model' ? 'Functional' : ir.className,
    ir.registeredName === 'Model' ? null : ir.registeredName,
    ir.name,
  );
  // Layers built before a failure hold variables: free them, or a bad file leaks tensors.
  const built: Layer[] = [];
  try {
    return ir.className === 'Sequential' ? sequentialFromIR(ir, legacy, built) : functionalFromIR(ir, legacy, built);
  } catch (cause) {
    for (const layer of built) layer.dispose();
    throw cause;
  }
}

function buildMember(layer: LayerIR, legacy: boolean, built: Layer[]): Layer {
  const member = layer.model !== undefined ? buildModel(layer.model, legacy) : layerFromIR(layer, legacy);
  built.push(member);
  return member;
}

function trainableOf(ir: ModelIR): boolean | undefined {
  const value = ir.extraConfig?.['trainable'];
  return typeof value === 'boolean' ? value : undefined;
}

function shapeOf(value: JsonValue | undefined): (number | null)[] | undefined {
  if (!Array.isArray(value) || !value.every((d) => d === null || typeof d === 'number')) return undefined;
  return value as (number | null)[];
}

function sequentialFromIR(ir: ModelIR, legacy: boolean, built: Layer[]): Sequential {
  const [first, ...others] = ir.layers;
  let input: InputLayer | undefined;
  let members = ir.layers;
  if (first?.className === 'InputLayer') {
    input = layerFromIR(first, legacy) as InputLayer;
    members = others;
  } else {
    const batchShape =
      (first ? legacyBatchInputShape(first) : undefined) ??
      shapeOf(ir.extraConfig?.['build_input_shape']) ??
      shapeOf(ir.buildConfig?.['input_shape']);
    if (batchShape !== undefined) {
      const dtype = typeof first?.config['dtype'] === 'string' ? first.config['dtype'] : 'float32';
      input = new InputLayer({ batchShape, dtype, name: first ? `${first.name}_input` : undefined });
    }
  }
  const layers = members.map((member) => buildMember(member, legacy, built));
  const model = new Sequential(input ? [input, ...layers] : layers, { name: ir.name, trainable: trainableOf(ir) });
  return model;
}

const key = (layer: string, node: number, index: number): string => `${layer}\u0000${node}\u0000${index}`;

function kerasTensorRef(value: JsonValue): TensorRef | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value['class_name'] !== '__keras_tensor__')
    return undefined;
  const config = value['config'];
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return undefined;
  const history = config['keras_history'];
  if (!Array.isArray(history) || history.length !== 3) return undefined;
  const [layer, node, index] = history;
  if (typeof layer !== 'string' || typeof node !== 'number' || typeof index !== 'number') return undefined;
  return { layer, node, index };
}

/** Initial-state references of a call: Keras 3 `initial_state` kwarg, or Keras 2's extra RNN inputs. */
function initialStateRefs(
  node: CallNode,
  member: LayerIR,
  legacy: boolean,
): { args: TensorRef[]; states: TensorRef[] } {
  const raw = node.kwargs?.['initial_state'];
  if (raw !== undefined && raw !== null) {
    const list = Array.isArray(raw) ? raw : [raw];
    const states = list.map((item, i) => {
      const ref = kerasTensorRef(item);
      if (ref === undefined)
        throw new ModelLoadError(`Layer "${member.name}": initial_state[${i}] of a call is not a tensor reference`);
      return ref;
    });
    return { args: node.inputs, states };
  }
  const recurrent = 'return_sequences' in member.config && 'return_state' in member.config;
  if (legacy && recurrent && node.inputs.length > 1)
    return { args: node.inputs.slice(0, 1), states: node.inputs.slice(1) };
  return { args: node.inputs, states: [] };
}

/**
 * The keyword arguments of a call that the layer takes (its `callKeywordArguments`, camelCase):
 * plain values, and tensors by name. Tensors passed by the name of a positional argument
 * (`mha(query=x, value=y, key=z)`) are moved to their place after the positional ones.
 * Other kwargs are left alone, as before.
 */
function callKwargs(
  node: CallNode,
  layer: Layer,
  member: LayerIR,
  layerNames: ReadonlySet<string>,
): { positional: TensorRef[]; plain: Record<string, CallKwargValue>; tensors: [string, TensorRef][] } {
  const kwargs = node.kwargs ?? {};
  // Keras 2 writes a tensor keyword argument as a bare [layer, node, index] (e.g. MultiHeadAttention's `value`).
  const tensorRef = (value: JsonValue): TensorRef | undefined => {
    const ref = kerasTensorRef(value);
    if (ref !== undefined) return ref;
    const triple =
      Array.isArray(value) &&
      value.length === 3 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'number' &&
      typeof value[2] === 'number';
    return triple && layerNames.has(value[0] as string)
      ? { layer: value[0] as string, node: value[1] as number, index: value[2] as number }
      : undefined;
  };
  const positional: TensorRef[] = [];
  const names = layer.positionalTensorArguments;
  for (const name of names.slice(node.inputs.length)) {
    const value = kwargs[name];
    if (value === undefined || value === null) break;
    const ref = tensorRef(value);
    if (ref === undefined)
      throw new ModelLoadError(`Layer "${member.name}": argument ${name} of a call is not a tensor reference`);
    positional.push(ref);
  }
  const plain: Record<string, CallKwargValue> = {};
  const tensors: [string, TensorRef][] = [];
  const accepted = layer.callKeywordArguments;
  for (const [snake, value] of Object.entries(kwargs)) {
    const name = toCamelCase(snake);
    if (!accepted.includes(name) || value === null) continue;
    const ref = tensorRef(value);
    if (ref !== undefined) tensors.push([name, ref]);
    else if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') plain[name] = value;
    else
      throw new ModelLoadError(
        `Layer "${member.name}" (${member.className}): keyword argument ${snake} of a call must be a tensor or a plain value, got ${JSON.stringify(value)}`,
      );
  }
  return { positional, plain, tensors };
}

/** One call of a layer to replay: its file node number and the tensors it reads. */
interface CallStep {
  member: LayerIR;
  node: CallNode;
  /** Index in the layer's `nodes`. */
  nodeIndex: number;
  /** The node number references in the file use for this call's outputs. */
  fileNode: number;
  args: TensorRef[];
  states: TensorRef[];
  /** Keras 3 records the mask a call received as its `mask` kwarg (e.g. from Embedding(mask_zero=True)). */
  mask: TensorRef | undefined;
  /** Keyword arguments the layer's call takes (plain values, and tensors by name). */
  kwargs: { plain: Record<string, CallKwargValue>; tensors: [string, TensorRef][] };
}

/** The calls of every non-input layer, in config order (a layer's calls consecutive, in node order). */
function callSteps(ir: ModelIR, layers: ReadonlyMap<string, Layer>, legacy: boolean): CallStep[] {
  const layerNames = new Set(ir.layers.map((m) => m.name));
  // A nested model's calls may be numbered from 1 in the file (graph's nodeIndexOffsets says which).
  const offsets = nodeIndexOffsets(ir);
  const steps: CallStep[] = [];
  for (const member of ir.layers) {
    if (member.className === 'InputLayer') continue;
    const layer = layers.get(member.name)!;
    const offset = offsets.get(member.name) ?? 0;
    member.nodes.forEach((node, nodeIndex) => {
      const { args, states } = initialStateRefs(node, member, legacy);
      const mask = kerasTensorRef(node.kwargs?.['mask'] ?? null);
      const { positional, plain, tensors } = callKwargs(node, layer, member, layerNames);
      steps.push({
        member,
        node,
        nodeIndex,
        fileNode: nodeIndex + offset,
        args: [...args, ...positional],
        states,
        mask,
        kwargs: { plain, tensors },
      });
    });
  }
  return steps;
}

function functionalFromIR(ir: ModelIR, legacy: boolean, built: Layer[]): Model {
  const layers = new Map<string, Layer>();
  const tensors = new Map<string, KerasTensor>();
  for (const member of ir.layers) {
    const layer = buildMember(member, legacy, built);
    layers.set(member.name, layer);
    if (layer instanceof InputLayer) tensors.set(key(member.name, 0, 0), layer.output);
  }
  const done = new Map<string, number>(ir.layers.map((m) => [m.name, 0]));
  const resolve = (ref: TensorRef): KerasTensor | undefined => tensors.get(key(ref.layer, ref.node, ref.index));
  // Every call of every layer is a step; a step waits for the steps producing its inputs and for
  // the previous call of its own layer (node numbers must match the file). Kahn's algorithm over
  // these edges replays the calls in a linear number of steps, in whatever order the config lists
  // the layers (a pass-until-no-progress loop is quadratic for a chain listed in reverse).
  const steps = callSteps(ir, layers, legacy);
  const stepAt = new Map<string, number>(steps.map((step, i) => [`${step.member.name}\u0000${step.fileNode}`, i]));
  const waiting = steps.map(() => 0);
  const dependents: number[][] = steps.map(() => []);
  steps.forEach((step, i) => {
    const producers = new Set<number>();
    if (step.nodeIndex > 0) producers.add(i - 1);
    const kwargRefs = step.kwargs.tensors.map(([, ref]) => ref);
    for (const ref of [...step.args, ...step.states, ...kwargRefs, ...(step.mask === undefined ? [] : [step.mask])]) {
      const producer = stepAt.get(`${ref.layer}\u0000${ref.node}`);
      if (producer !== undefined) producers.add(producer);
    }
    for (const producer of producers) {
      waiting[i] = waiting[i]! + 1;
      dependents[producer]!.push(i);
    }
  });
  const ready = steps.map((_, i) => i).filter((i) => waiting[i] === 0);
  let applied = 0;
  for (let next = 0; next < ready.length; next++) {
    const step = steps[ready[next]!]!;
    const inputs = step.args.map(resolve);
    const stateTensors = step.states.map(resolve);
    const kwargTensors = step.kwargs.tensors.map(([, ref]) => resolve(ref));
    const mask = step.mask === undefined ? undefined : resolve(step.mask);
    // A reference to a tensor no layer produces: leave the step (and what depends on it) unapplied.
    if ([...inputs, ...stateTensors, ...kwargTensors].some((t) => t === undefined)) continue;
    if (step.mask !== undefined && mask === undefined) continue;
    const layer = layers.get(step.member.name)!;
    const applyArgs: ApplyArgs = {};
    const training = step.node.kwargs?.['training'];
    if (typeof training === 'boolean') applyArgs.training = training;
    if (mask !== undefined) applyArgs.mask = mask;
    if (layer instanceof OpLayer) layer.setCallArgs(step.node.args, step.node.inputsAsList === true, inputs.length);
    if (stateTensors.length > 0) applyArgs.initialState = stateTensors as KerasTensor[];
    const { plain, tensors: named } = step.kwargs;
    if (named.length > 0 || Object.keys(plain).length > 0) {
      applyArgs.kwargs = { ...plain, ...Object.fromEntries(named.map(([name], i) => [name, kwargTensors[i]!])) };
    }
    const list = inputs as KerasTensor[];
    const outputs = layer.applyMulti(step.node.inputsAsList || list.length > 1 ? list : list[0]!, applyArgs);
    outputs.forEach((t, i) => tensors.set(key(step.member.name, step.fileNode, i), t));
    done.set(step.member.name, step.nodeIndex + 1);
    applied += 1;
    for (const dependent of dependents[ready[next]!]!) {
      waiting[dependent] = waiting[dependent]! - 1;
      if (waiting[dependent] === 0) ready.push(dependent);
    }
  }
  if (applied < steps.length) throw new ModelLoadError(stuckMessage(ir, done, resolve));
  const lookup = (ref: TensorRef, what: string): KerasTensor => {
    const t = resolve(ref);
    if (t === undefined) {
      throw new ModelLoadError(
        `Model "${ir.name}": ${what} [${ref.layer}, ${ref.node}, ${ref.index}] names no tensor of the model`,
      );
    }
    return t;
  };
  const inputs = ir.inputs.map((ref) => lookup(ref, 'input'));
  const outputs = ir.outputs.map((ref) => lookup(ref, 'output'));
  // Keras 3 writes a flat triple for a single tensor; Keras 2 and TF.js always write a list.
  const single = (layout: unknown, count: number): boolean =>
    count === 1 &&
    (typeof layout === 'number' || (legacy && layout === undefined) || (legacy && Array.isArray(layout)));
  return new Model({
    inputs: single(ir.layout?.inputs, inputs.length) ? inputs[0]! : inputs,
    outputs: single(ir.layout?.outputs, outputs.length) ? outputs[0]! : outputs,
    name: ir.name,
    trainable: trainableOf(ir),
  });
}

function stuckMessage(
  ir: ModelIR,
  done: Map<string, number>,
  resolve: (ref: TensorRef) => KerasTensor | undefined,
): string {
  for (const member of ir.layers) {
    const node = member.nodes[done.get(member.name) ?? 0];
    if (member.className === 'InputLayer' || node === undefined) continue;
    const missing = node.inputs.find((ref) => resolve(ref) === undefined);
    if (missing !== undefined) {
      return (
        `Model "${ir.name}" cannot be rebuilt: layer "${member.name}" takes tensor [${missing.layer}, ${missing.node}, ${missing.index}], ` +
        `which no layer of the config produces`
      );
    }
  }
  return `Model "${ir.name}" cannot be rebuilt: its calls depend on each other in a cycle`;
}

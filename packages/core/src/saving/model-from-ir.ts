/**
 * `modelFromIR`: the Strata model IR → a runtime model. Layers come from the registry
 * only; functional graphs are rebuilt by replaying each call (`layer.apply` on symbolic
 * tensors) in dependency order, so shared layers, call kwargs and initial states return.
 */
import { nodeIndexOffsets, type CallNode, type JsonValue, type LayerIR, type ModelIR, type TensorRef } from '@strata/graph';
import { InputLayer } from '../engine/input-layer.js';
import { KerasTensor } from '../engine/keras-tensor.js';
import type { ApplyArgs, Layer } from '../engine/layer.js';
import { Model } from '../engine/model.js';
import { Sequential } from '../engine/sequential.js';
import { ModelLoadError, resolveLayerClass } from './class-lookup.js';
import { restoreCompile } from './compile-config.js';
import { layerFromIR, legacyBatchInputShape } from './layer-ir.js';
// Model classes must be registered before any nested model is resolved.
import './register-models.js';

/** Options of {@link modelFromIR}. */
export interface ModelFromIROptions {
  /** Replay `compile_config` through `compile()` when the model has a training API (default true). */
  compile?: boolean;
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
  const model = buildModel(ir, isLegacy(ir));
  if (options.compile !== false) restoreCompile(model, ir.compileConfig);
  return model;
}

function buildModel(ir: ModelIR, legacy: boolean): Model {
  resolveLayerClass(ir.className === 'Model' ? 'Functional' : ir.className, ir.registeredName === 'Model' ? null : ir.registeredName, ir.name);
  return ir.className === 'Sequential' ? sequentialFromIR(ir, legacy) : functionalFromIR(ir, legacy);
}

function buildMember(layer: LayerIR, legacy: boolean): Layer {
  return layer.model !== undefined ? buildModel(layer.model, legacy) : layerFromIR(layer, legacy);
}

function trainableOf(ir: ModelIR): boolean | undefined {
  const value = ir.extraConfig?.['trainable'];
  return typeof value === 'boolean' ? value : undefined;
}

function shapeOf(value: JsonValue | undefined): (number | null)[] | undefined {
  if (!Array.isArray(value) || !value.every((d) => d === null || typeof d === 'number')) return undefined;
  return value as (number | null)[];
}

function sequentialFromIR(ir: ModelIR, legacy: boolean): Sequential {
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
  const layers = members.map((member) => buildMember(member, legacy));
  const model = new Sequential(input ? [input, ...layers] : layers, { name: ir.name, trainable: trainableOf(ir) });
  return model;
}

const key = (layer: string, node: number, index: number): string => `${layer}\u0000${node}\u0000${index}`;

function kerasTensorRef(value: JsonValue): TensorRef | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value['class_name'] !== '__keras_tensor__') return undefined;
  const config = value['config'];
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return undefined;
  const history = config['keras_history'];
  if (!Array.isArray(history) || history.length !== 3) return undefined;
  const [layer, node, index] = history;
  if (typeof layer !== 'string' || typeof node !== 'number' || typeof index !== 'number') return undefined;
  return { layer, node, index };
}

/** Initial-state references of a call: Keras 3 `initial_state` kwarg, or Keras 2's extra RNN inputs. */
function initialStateRefs(node: CallNode, member: LayerIR, legacy: boolean): { args: TensorRef[]; states: TensorRef[] } {
  const raw = node.kwargs?.['initial_state'];
  if (raw !== undefined && raw !== null) {
    const list = Array.isArray(raw) ? raw : [raw];
    const states = list.map((item, i) => {
      const ref = kerasTensorRef(item);
      if (ref === undefined) throw new ModelLoadError(`Layer "${member.name}": initial_state[${i}] of a call is not a tensor reference`);
      return ref;
    });
    return { args: node.inputs, states };
  }
  const recurrent = 'return_sequences' in member.config && 'return_state' in member.config;
  if (legacy && recurrent && node.inputs.length > 1) return { args: node.inputs.slice(0, 1), states: node.inputs.slice(1) };
  return { args: node.inputs, states: [] };
}

function functionalFromIR(ir: ModelIR, legacy: boolean): Model {
  const layers = new Map<string, Layer>();
  const tensors = new Map<string, KerasTensor>();
  for (const member of ir.layers) {
    const layer = buildMember(member, legacy);
    layers.set(member.name, layer);
    if (layer instanceof InputLayer) tensors.set(key(member.name, 0, 0), layer.output);
  }
  const done = new Map<string, number>(ir.layers.map((m) => [m.name, 0]));
  const offsets = nodeIndexOffsets(ir);
  const resolve = (ref: TensorRef): KerasTensor | undefined => tensors.get(key(ref.layer, ref.node, ref.index));
  let remaining = ir.layers.reduce((sum, m) => sum + (m.className === 'InputLayer' ? 0 : m.nodes.length), 0);
  let progress = true;
  while (remaining > 0 && progress) {
    progress = false;
    for (const member of ir.layers) {
      if (member.className === 'InputLayer') continue;
      const layer = layers.get(member.name)!;
      while (done.get(member.name)! < member.nodes.length) {
        const nodeIndex = done.get(member.name)!;
        const node = member.nodes[nodeIndex]!;
        const { args, states } = initialStateRefs(node, member, legacy);
        const inputs = args.map(resolve);
        const stateTensors = states.map(resolve);
        if (inputs.some((t) => t === undefined) || stateTensors.some((t) => t === undefined)) break;
        const applyArgs: ApplyArgs = {};
        const training = node.kwargs?.['training'];
        if (typeof training === 'boolean') applyArgs.training = training;
        if (stateTensors.length > 0) applyArgs.initialState = stateTensors as KerasTensor[];
        const list = inputs as KerasTensor[];
        const outputs = layer.applyMulti(node.inputsAsList || list.length > 1 ? list : list[0]!, applyArgs);
        // A nested model's calls may be numbered from 1 in the file (graph's nodeIndexOffsets says which).
        const fileNode = nodeIndex + (offsets.get(member.name) ?? 0);
        outputs.forEach((t, i) => tensors.set(key(member.name, fileNode, i), t));
        done.set(member.name, nodeIndex + 1);
        remaining -= 1;
        progress = true;
      }
    }
  }
  if (remaining > 0) throw new ModelLoadError(stuckMessage(ir, done, resolve));
  const lookup = (ref: TensorRef, what: string): KerasTensor => {
    const t = resolve(ref);
    if (t === undefined) {
      throw new ModelLoadError(`Model "${ir.name}": ${what} [${ref.layer}, ${ref.node}, ${ref.index}] names no tensor of the model`);
    }
    return t;
  };
  const inputs = ir.inputs.map((ref) => lookup(ref, 'input'));
  const outputs = ir.outputs.map((ref) => lookup(ref, 'output'));
  // Keras 3 writes a flat triple for a single tensor; Keras 2 and TF.js always write a list.
  const single = (layout: unknown, count: number): boolean => count === 1 && (typeof layout === 'number' || (legacy && layout === undefined) || (legacy && Array.isArray(layout)));
  return new Model({
    inputs: single(ir.layout?.inputs, inputs.length) ? inputs[0]! : inputs,
    outputs: single(ir.layout?.outputs, outputs.length) ? outputs[0]! : outputs,
    name: ir.name,
    trainable: trainableOf(ir),
  });
}

function stuckMessage(ir: ModelIR, done: Map<string, number>, resolve: (ref: TensorRef) => KerasTensor | undefined): string {
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

/** Shape inference over a whole model graph, nested models included. */
import type { CallNode, JsonValue, LayerIR, ModelIR, Shape, TensorRef } from '../ir.js';
import { callIndexOf, callInputs, callOrder, nodeIndexOffsets } from '../walk.js';
import { POSITIONAL_TENSOR_KWARGS } from './attention.js';
import { declaredBatchShape } from './core.js';
import { formatShape, ShapeError, UnknownLayerError } from './errors.js';
import { inferLayerOutputShapes } from './infer.js';
import { inferOpOutputShape, isKerasOpEntry, opOperandsOf } from './keras-ops.js';

/** Result of {@link analyzeModelShapes}. */
export interface ModelShapeAnalysis {
  /**
   * Layer name → per call (node) → per output shape. Layers of nested models are keyed by
   * their path, e.g. `"encoder/dense"`; an input layer has one entry holding its shape.
   */
  shapes: Map<string, Shape[][]>;
  /** Layers (path names) whose class has no shape rule; their outputs stay unknown. */
  unknownLayers: string[];
  /** Layers (path names) whose input shapes could not be determined (e.g. downstream of an unknown layer). */
  unresolvedLayers: string[];
  /** Shape errors found; layers downstream of an error stay unknown. */
  errors: ShapeError[];
}

interface RunState extends ModelShapeAnalysis {
  throwOnShapeError: boolean;
  throwOnUnknown: boolean;
}

/** Layers whose weights fix the size of one input axis, which `build_config` then records. */
const FEATURE_AXIS_CLASSES = new Set([
  'Dense',
  'Conv1D',
  'Conv2D',
  'Conv3D',
  'Conv1DTranspose',
  'Conv2DTranspose',
  'Conv3DTranspose',
  'SeparableConv1D',
  'SeparableConv2D',
  'DepthwiseConv1D',
  'DepthwiseConv2D',
  'BatchNormalization',
  'LayerNormalization',
  'SimpleRNN',
  'LSTM',
  'GRU',
  'Bidirectional',
]);

function isShape(value: JsonValue | undefined): value is (number | null)[] {
  return (
    Array.isArray(value) && value.every((dim) => dim === null || (typeof dim === 'number' && Number.isInteger(dim)))
  );
}

function compatible(expected: Shape, actual: Shape): boolean {
  return (
    expected.length === actual.length &&
    expected.every((dim, i) => dim === null || actual[i] === null || dim === actual[i])
  );
}

/** Checks an input against the size `build_config.input_shape` recorded on the layer's feature axis. */
function checkBuildShape(layer: LayerIR, input: Shape): void {
  const built = layer.buildConfig?.['input_shape'];
  if (!FEATURE_AXIS_CLASSES.has(layer.className) || !isShape(built) || built.length === 0) return;
  const axisValue = layer.config['axis'];
  let axis = layer.config['data_format'] === 'channels_first' ? 1 : -1;
  if (
    typeof axisValue === 'number' &&
    (layer.className === 'BatchNormalization' || layer.className === 'LayerNormalization')
  )
    axis = axisValue;
  const at = (shape: Shape): number | null | undefined => shape[axis < 0 ? shape.length + axis : axis];
  const expected = at(built);
  const actual = at(input);
  if (expected === null || expected === undefined || actual === null || actual === undefined || expected === actual)
    return;
  const where = axis === -1 ? 'last dimension' : `dimension ${axis} of size`;
  throw new ShapeError(
    layer.name,
    layer.className,
    `expected input with ${where} ${expected}, got shape ${formatShape(input)}`,
  );
}

/** The shape a layer called without inputs takes: what it or its (Sequential) model declares. */
function declaredSourceShape(layer: LayerIR, model: ModelIR): Shape | undefined {
  const candidates: (JsonValue | undefined)[] = [
    layer.buildConfig?.['input_shape'],
    model.extraConfig?.['build_input_shape'],
    model.buildConfig?.['input_shape'],
  ];
  return declaredBatchShape(layer.config) ?? candidates.find(isShape);
}

function record(state: RunState, key: string, node: number, outputs: Shape[]): void {
  const perNode = state.shapes.get(key) ?? [];
  perNode[node] = outputs;
  state.shapes.set(key, perNode);
}

/** Runs shape inference through `model`; returns its output shapes, or `undefined` if unknown. */
function runModel(model: ModelIR, given: Shape[] | undefined, prefix: string, state: RunState): Shape[] | undefined {
  const local = new Map<string, Shape[][]>();
  const offsets = nodeIndexOffsets(model);
  // Shapes are stored by call position; file references may number a nested model's calls from 1.
  const lookup = (layer: string, node: number, index: number): Shape | undefined =>
    local.get(layer)?.[callIndexOf(model, { layer, node, index }, offsets)]?.[index];
  for (const { layer, node, call } of callOrder(model)) {
    const key = `${prefix}${layer.name}`;
    const save = (outputs: Shape[]): void => {
      const perNode = local.get(layer.name) ?? [];
      perNode[node] = outputs;
      local.set(layer.name, perNode);
      record(state, key, node, outputs);
    };
    try {
      if (call === undefined) {
        if (layer.className !== 'InputLayer') continue;
        const declared = inferLayerOutputShapes('InputLayer', layer.config, [], layer.name)[0] as Shape;
        const position = model.inputs.findIndex((ref) => ref.layer === layer.name);
        const actual = position >= 0 ? given?.[position] : undefined;
        if (actual !== undefined && !compatible(declared, actual)) {
          throw new ShapeError(
            layer.name,
            layer.className,
            `expected input shape ${formatShape(declared)}, got shape ${formatShape(actual)}`,
          );
        }
        save([actual ?? declared]);
        continue;
      }
      let inputs: Shape[] | undefined;
      const refs = [...call.inputs, ...positionalKwargRefs(layer.className, call, model)];
      if (refs.length === 0) {
        const source = given?.[0] ?? declaredSourceShape(layer, model);
        inputs = source === undefined ? undefined : [source];
      } else {
        const found = refs.map((ref) => lookup(ref.layer, ref.node, ref.index));
        inputs = found.every((shape): shape is Shape => shape !== undefined) ? found : undefined;
      }
      if (inputs === undefined) {
        if (!state.unresolvedLayers.includes(key)) state.unresolvedLayers.push(key);
        continue;
      }
      if (inputs.length === 1) checkBuildShape(layer, inputs[0] as Shape);
      let outputs: Shape[] | undefined;
      if (layer.model !== undefined) {
        // Later calls of a shared nested model do not overwrite the recorded inner shapes.
        const inner = node === 0 ? state : { ...state, shapes: new Map<string, Shape[][]>() };
        outputs = runModel(layer.model, inputs, `${key}/`, inner);
      } else if (isKerasOpEntry(layer)) {
        const tensors = inputs.map((shape, i) => ({ shape, dtype: call.inputs[i]?.dtype ?? 'float32' }));
        outputs = [
          inferOpOutputShape(
            layer.className,
            layer.config,
            opOperandsOf(call.args, call.inputsAsList === true, tensors),
            layer.name,
          ),
        ];
      } else {
        outputs = inferLayerOutputShapes(layer.className, layer.config, inputs, layer.name, call.kwargs);
      }
      if (outputs === undefined) {
        if (!state.unresolvedLayers.includes(key)) state.unresolvedLayers.push(key);
        continue;
      }
      save(outputs);
    } catch (error) {
      if (error instanceof UnknownLayerError && !state.throwOnUnknown) {
        if (!state.unknownLayers.includes(key)) state.unknownLayers.push(key);
      } else if (error instanceof ShapeError && !state.throwOnShapeError) {
        state.errors.push(error);
      } else {
        throw error;
      }
    }
  }
  const outputs = model.outputs.map((ref) => lookup(ref.layer, ref.node, ref.index));
  return outputs.every((shape): shape is Shape => shape !== undefined) ? outputs : undefined;
}

/** Tensors passed by keyword in place of positional arguments, in positional order after the given ones. */
function positionalKwargRefs(className: string, call: CallNode, model: ModelIR): TensorRef[] {
  const names = POSITIONAL_TENSOR_KWARGS[className] ?? [];
  if (names.length === 0) return [];
  const byKwarg = new Map(
    callInputs(call, new Set(model.layers.map((l) => l.name)))
      .filter((i) => i.kwarg !== undefined)
      .map((i) => [i.kwarg!, i.ref]),
  );
  const refs: TensorRef[] = [];
  for (const name of names.slice(call.inputs.length)) {
    const ref = byKwarg.get(name);
    if (ref === undefined) break;
    refs.push(ref);
  }
  return refs;
}

function newState(throwOnShapeError: boolean, throwOnUnknown: boolean): RunState {
  return { shapes: new Map(), unknownLayers: [], unresolvedLayers: [], errors: [], throwOnShapeError, throwOnUnknown };
}

/**
 * Infers every layer's output shapes and collects problems instead of stopping at the first:
 * unknown classes, unresolvable inputs and shape errors.
 *
 * @throws ModelFormatError when the graph itself is broken (dangling references, cycles)
 */
export function analyzeModelShapes(ir: ModelIR): ModelShapeAnalysis {
  const state = newState(false, false);
  runModel(ir, undefined, '', state);
  const { shapes, unknownLayers, unresolvedLayers, errors } = state;
  return { shapes, unknownLayers, unresolvedLayers, errors };
}

/**
 * Infers the output shapes of every call of every layer (see {@link ModelShapeAnalysis.shapes}).
 * Layers of unknown classes, and what depends on them, are left out of the map.
 *
 * @throws ShapeError at the first layer whose inputs do not fit it
 */
export function inferModelShapes(ir: ModelIR): Map<string, Shape[][]> {
  const state = newState(true, false);
  runModel(ir, undefined, '', state);
  return state.shapes;
}

/**
 * Output shapes of a nested model called on `inputs` (used for model-class layers given by
 * config). Throws like {@link inferLayerOutputShapes}.
 */
export function inferNestedModelOutputs(model: ModelIR, inputs: Shape[], layerName: string): Shape[] {
  const outputs = runModel(model, inputs, '', newState(true, true));
  if (outputs === undefined) {
    throw new ShapeError(
      layerName,
      model.className,
      `could not infer the output shapes of nested model "${model.name}"`,
    );
  }
  return outputs;
}

/**
 * Parameter counts of Keras layers from their config and input shape, following the variables
 * each Keras 3 layer creates in `build()`. Which formula applies is the class's `params` fact.
 */
import type { JsonObject, JsonValue, LayerIR, Shape } from '../ir.js';
import { isKerasOpEntry } from '../shapes/keras-ops.js';
import { layerFacts } from './queries.js';

/** A layer's parameters, split as Keras's summary does. */
export interface ParamCount {
  trainable: number;
  nonTrainable: number;
}

const num = (config: JsonObject, key: string, fallback: number): number => {
  const value = config[key];
  return typeof value === 'number' ? value : fallback;
};
const bool = (config: JsonObject, key: string, fallback: boolean): boolean => {
  const value = config[key];
  return typeof value === 'boolean' ? value : fallback;
};
const product = (values: readonly number[]): number => values.reduce((a, b) => a * b, 1);

function kernelVolume(config: JsonObject, rank: number): number {
  const size: JsonValue | undefined = config['kernel_size'];
  if (typeof size === 'number') return size ** rank;
  if (Array.isArray(size)) return product(size.map(Number));
  return NaN;
}

function channelsOf(config: JsonObject, shape: Shape | undefined): number | null {
  if (!shape || shape.length < 2) return null;
  const channelsFirst = config['data_format'] === 'channels_first';
  return (channelsFirst ? shape[1] : shape[shape.length - 1]) ?? null;
}

function rnnCell(units: number, input: number, gates: number, extraBias: number): number {
  return gates * (input * units + units * units) + gates * units * extraBias;
}

const isObject = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A wrapper's serialized inner layer (`layer` of Bidirectional / TimeDistributed) as a LayerIR. */
function wrappedLayer(layer: LayerIR): LayerIR | undefined {
  const inner = layer.config['layer'];
  if (!isObject(inner)) return undefined;
  const innerClass = inner['class_name'];
  const innerConfig = inner['config'];
  if (typeof innerClass !== 'string' || !isObject(innerConfig)) return undefined;
  const wrapped: LayerIR = { className: innerClass, name: layer.name, config: innerConfig, nodes: [] };
  // Keep "written by Keras 3" (module present) for defaults that differ between versions.
  if (layer.module !== undefined) wrapped.module = typeof inner['module'] === 'string' ? inner['module'] : layer.module;
  return wrapped;
}

/** Last size of a shape, or of `build_config.shapes_dict[key]` when the shape is unknown. */
function lastSize(shape: Shape | undefined, layer: LayerIR, key: string): number | null {
  const fromShape = shape && shape.length > 0 ? (shape[shape.length - 1] ?? null) : null;
  if (fromShape !== null) return fromShape;
  const dict = layer.buildConfig?.['shapes_dict'];
  const recorded = typeof dict === 'object' && dict !== null && !Array.isArray(dict) ? dict[key] : undefined;
  const last = Array.isArray(recorded) ? recorded[recorded.length - 1] : undefined;
  return typeof last === 'number' ? last : null;
}

/** MultiHeadAttention: the query, key, (gate,) value and output projections (Keras `EinsumDense`s). */
function multiHeadAttentionParams(layer: LayerIR, inputShapes: readonly (Shape | undefined)[]): number | null {
  const { config } = layer;
  const heads = num(config, 'num_heads', NaN);
  const keyDim = num(config, 'key_dim', NaN);
  const valueDim = num(config, 'value_dim', keyDim);
  const query = lastSize(inputShapes[0], layer, 'query_shape');
  const value = lastSize(inputShapes[1], layer, 'value_shape');
  const key =
    inputShapes[2] !== undefined
      ? lastSize(inputShapes[2], layer, 'key_shape')
      : (lastSize(undefined, layer, 'key_shape') ?? value);
  if (query === null || value === null || key === null) return null;
  const bias = bool(config, 'use_bias', true);
  const projection = (inputs: number, outputs: number): number => inputs * outputs + (bias ? outputs : 0);
  const shape = config['output_shape'];
  const outputs =
    typeof shape === 'number' ? shape : Array.isArray(shape) && shape.length > 0 ? product(shape.map(Number)) : query;
  const gate = bool(config, 'use_gate', false) ? projection(query, heads * valueDim) : 0;
  return (
    projection(query, heads * keyDim) +
    projection(key, heads * keyDim) +
    gate +
    projection(value, heads * valueDim) +
    projection(heads * valueDim, outputs)
  );
}

/**
 * Counts a layer's parameters from its config and first input shape (and, for layers with
 * several inputs such as MultiHeadAttention, the other input shapes of its first call).
 *
 * @param inputShape - the shape of the first input
 * @param inputShapes - all inputs of the first call, for layers whose size depends on more than one
 *   (MultiHeadAttention's key and value)
 * @returns the count, or `undefined` when the layer class is unknown or a needed dimension is unknown
 */
export function countLayerParams(
  layer: LayerIR,
  inputShape: Shape | undefined,
  inputShapes: readonly (Shape | undefined)[] = [inputShape],
): ParamCount | undefined {
  const { className, config } = layer;
  const facts = layerFacts(className);
  if (facts?.params === 'none') return { trainable: 0, nonTrainable: 0 };
  // Keras 3 records `keras.ops` calls on symbolic tensors as graph nodes; operations own no
  // variables. Legacy .h5 files drop `module`, so the op is recognised by class and config.
  if (isKerasOpEntry(layer)) return { trainable: 0, nonTrainable: 0 };
  const last = inputShape && inputShape.length > 0 ? (inputShape[inputShape.length - 1] ?? null) : null;
  const channels = channelsOf(config, inputShape);
  const useBias = bool(config, 'use_bias', true);
  const all = (count: number | null): ParamCount | undefined =>
    count === null || Number.isNaN(count)
      ? undefined
      : config['trainable'] === false
        ? { trainable: 0, nonTrainable: count }
        : { trainable: count, nonTrainable: 0 };

  const rank = facts?.spatialRank ?? NaN;
  switch (facts?.params) {
    case 'dense':
      return last === null
        ? undefined
        : all(last * num(config, 'units', NaN) + (useBias ? num(config, 'units', NaN) : 0));
    case 'embedding':
      return all(num(config, 'input_dim', NaN) * num(config, 'output_dim', NaN));
    case 'conv':
    case 'conv-transpose': {
      const filters = num(config, 'filters', NaN);
      const groups = facts.params === 'conv-transpose' ? 1 : num(config, 'groups', 1);
      return channels === null
        ? undefined
        : all(kernelVolume(config, rank) * (channels / groups) * filters + (useBias ? filters : 0));
    }
    case 'depthwise-conv': {
      const multiplier = num(config, 'depth_multiplier', 1);
      return channels === null
        ? undefined
        : all(kernelVolume(config, rank) * channels * multiplier + (useBias ? channels * multiplier : 0));
    }
    case 'separable-conv': {
      const multiplier = num(config, 'depth_multiplier', 1);
      const filters = num(config, 'filters', NaN);
      if (channels === null) return undefined;
      return all(
        kernelVolume(config, rank) * channels * multiplier + channels * multiplier * filters + (useBias ? filters : 0),
      );
    }
    case 'batch-normalization': {
      if (channels === null && last === null) return undefined;
      const axis = config['axis'];
      const size =
        typeof axis === 'number' && inputShape
          ? (inputShape[axis < 0 ? inputShape.length + axis : axis] ?? null)
          : last;
      if (size === null) return undefined;
      const affine = (bool(config, 'center', true) ? size : 0) + (bool(config, 'scale', true) ? size : 0);
      return config['trainable'] === false
        ? { trainable: 0, nonTrainable: affine + 2 * size }
        : { trainable: affine, nonTrainable: 2 * size };
    }
    case 'layer-normalization': {
      // gamma and beta span every normalized axis (Keras 3: `input_shape[axis]` for each axis).
      const axes = Array.isArray(config['axis'])
        ? config['axis'].map(Number)
        : [typeof config['axis'] === 'number' ? config['axis'] : -1];
      const sizes = inputShape
        ? axes.map((axis) => inputShape[axis < 0 ? inputShape.length + axis : axis] ?? null)
        : [null];
      if (sizes.some((size) => size === null || size === undefined)) return undefined;
      const size = product(sizes as number[]);
      return all((bool(config, 'center', true) ? size : 0) + (bool(config, 'scale', true) ? size : 0));
    }
    case 'normalization': {
      // Adapted: non-trainable mean and variance over the kept axes, plus the scalar count; given: none.
      if (config['mean'] !== null && config['mean'] !== undefined) return { trainable: 0, nonTrainable: 0 };
      const axes = Array.isArray(config['axis'])
        ? config['axis'].map(Number)
        : [typeof config['axis'] === 'number' ? config['axis'] : -1];
      const sizes = inputShape
        ? axes.map((axis) => inputShape[axis < 0 ? inputShape.length + axis : axis] ?? null)
        : [null];
      if (sizes.some((size) => size === null || size === undefined)) return undefined;
      return { trainable: 0, nonTrainable: 2 * product(sizes as number[]) + 1 };
    }
    case 'prelu':
      return inputShape ? all(product(inputShape.slice(1).map((d) => d ?? NaN))) : undefined;
    case 'simple-rnn':
    case 'lstm':
    case 'gru': {
      // The features axis of the sequence: the last one (Keras 2's extra state inputs do not matter).
      if (last === null) return undefined;
      const units = num(config, 'units', NaN);
      const gates = facts.params === 'lstm' ? 4 : facts.params === 'gru' ? 3 : 1;
      // reset_after=True keeps two bias rows; it is Keras 3's default, while TF.js and
      // Keras 2.0-era files without the key mean False.
      const resetAfter = bool(config, 'reset_after', layer.module !== undefined);
      const biasRows = !useBias ? 0 : facts.params === 'gru' && resetAfter ? 2 : 1;
      return all(rnnCell(units, last, gates, biasRows));
    }
    case 'attention':
      return all((bool(config, 'use_scale', false) ? 1 : 0) + (config['score_mode'] === 'concat' ? 1 : 0));
    case 'additive-attention':
      if (!bool(config, 'use_scale', true)) return all(0);
      return last === null ? undefined : all(last);
    case 'multi-head-attention':
      return all(multiHeadAttentionParams(layer, inputShapes));
    case 'bidirectional': {
      const inner = wrappedLayer(layer);
      const one = inner && countLayerParams(inner, inputShape);
      return one && { trainable: 2 * one.trainable, nonTrainable: 2 * one.nonTrainable };
    }
    case 'time-distributed': {
      // The wrapped layer sees one timestep: (batch, time, ...rest) → (batch, ...rest).
      const inner = wrappedLayer(layer);
      const stepShape =
        inputShape && inputShape.length >= 3 ? [inputShape[0] ?? null, ...inputShape.slice(2)] : undefined;
      const counted = inner && countLayerParams(inner, stepShape);
      return (
        counted &&
        (config['trainable'] === false
          ? { trainable: 0, nonTrainable: counted.trainable + counted.nonTrainable }
          : counted)
      );
    }
    default:
      return undefined;
  }
}

/** Shape rules for core layers and activations (Keras `layers/core`, `layers/activations`). */
import type { JsonValue, Shape } from '../ir.js';
import { configInt, expectMinRank, shapeError, singleInput, type LayerCall, type ShapeRule } from './call.js';
import { formatShape } from './errors.js';

function isDim(value: JsonValue): value is number | null {
  return value === null || (typeof value === 'number' && Number.isInteger(value));
}

/**
 * The batch shape an input-defining config declares: Keras 3 `batch_shape`, Keras 2
 * `batch_input_shape`, or `shape` / `input_shape` with an optional `batch_size`.
 * `undefined` when the config declares none.
 */
export function declaredBatchShape(config: Record<string, JsonValue>): Shape | undefined {
  for (const key of ['batch_shape', 'batch_input_shape']) {
    const value = config[key];
    if (Array.isArray(value) && value.every(isDim)) return value as (number | null)[];
  }
  for (const key of ['shape', 'input_shape']) {
    const value = config[key];
    if (Array.isArray(value) && value.every(isDim)) {
      const batch = config['batch_size'];
      return [typeof batch === 'number' ? batch : null, ...(value as (number | null)[])];
    }
  }
  return undefined;
}

const inputLayer: ShapeRule = (call) => {
  const shape = declaredBatchShape(call.config);
  if (shape === undefined) {
    throw shapeError(call, 'config declares no input shape (expected "batch_shape", "batch_input_shape" or "shape")');
  }
  return [shape];
};

const dense: ShapeRule = (call) => {
  const input = singleInput(call);
  const units = configInt(call, 'units');
  expectMinRank(call, input, 2);
  if (input[input.length - 1] === null) {
    throw shapeError(call, `expected input with a known last dimension, got shape ${formatShape(input)}`);
  }
  return [[...input.slice(0, -1), units]];
};

/** Keras 3 `Embedding`: one vector per index, `input_shape + (output_dim,)`. */
const embedding: ShapeRule = (call) => {
  const input = singleInput(call);
  return [[...input, configInt(call, 'output_dim')]];
};

/** Rules of layers whose output has the shape of their single input. */
export function sameShape(call: LayerCall): Shape[] {
  return [singleInput(call)];
}

export const coreRules: Record<string, ShapeRule> = {
  InputLayer: inputLayer,
  Dense: dense,
  // Strata's DropConnect variant of Dense has Dense's shapes.
  DropConnectDense: dense,
  Embedding: embedding,
  Masking: sameShape,
  Activation: sameShape,
  ReLU: sameShape,
  LeakyReLU: sameShape,
  ELU: sameShape,
  PReLU: sameShape,
  Softmax: sameShape,
  ThresholdedReLU: sameShape,
  Identity: sameShape,
  Rescaling: sameShape,
};

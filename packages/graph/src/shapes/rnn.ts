/** Shape rules for recurrent layers and wrappers (Keras `layers/rnn`). */
import type { JsonObject, JsonValue, Shape } from '../ir.js';
import {
  configBool,
  configInt,
  configLayer,
  expectMinRank,
  expectRank,
  shapeError,
  singleInput,
  type LayerCall,
  type ShapeRule,
} from './call.js';
import { formatShape, UnknownLayerError } from './errors.js';
import { ownValue } from '../safety/own.js';

/** State sizes of one recurrent step: LSTM keeps `[h, c]`, GRU and SimpleRNN keep `[h]`. */
const STATE_COUNT: Record<string, number> = {
  LSTM: 2,
  LSTMCell: 2,
  GRU: 1,
  GRUCell: 1,
  SimpleRNN: 1,
  SimpleRNNCell: 1,
};

/** Output size and state sizes of a recurrent cell config (also `StackedRNNCells` / a list of cells). */
function cellSizes(call: LayerCall, cell: JsonValue | undefined): { outputSize: number; stateSizes: number[] } {
  const cells: JsonValue[] = Array.isArray(cell) ? cell : [cell ?? null];
  const flat: JsonObject[] = [];
  for (const item of cells) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw shapeError(
        call,
        `invalid config "cell": expected a serialized cell {"class_name": …, "config": {…}}, got ${JSON.stringify(item)}`,
      );
    }
    const inner = item['config'];
    if (
      item['class_name'] === 'StackedRNNCells' &&
      typeof inner === 'object' &&
      inner !== null &&
      !Array.isArray(inner)
    ) {
      const stacked = cellSizes(call, inner['cells']);
      flat.push({ class_name: '__stacked__', config: { units: stacked.outputSize, states: stacked.stateSizes } });
    } else flat.push(item);
  }
  let outputSize = 0;
  const stateSizes: number[] = [];
  for (const item of flat) {
    const className = String(item['class_name']);
    const config = item['config'] as JsonObject;
    const units = config['units'];
    if (typeof units !== 'number') throw new UnknownLayerError(className, call.name);
    outputSize = units;
    if (className === '__stacked__') stateSizes.push(...(config['states'] as number[]));
    else stateSizes.push(...Array<number>(ownValue(STATE_COUNT, className) ?? 1).fill(units));
  }
  return { outputSize, stateSizes };
}

/**
 * The sequence input of a recurrent call. Keras 2 / tf.keras 2 recorded `initial_state` as extra
 * inputs of the node (`RNN.__call__`: `[inputs] + initial_state`); they must be one `(batch, size)`
 * per state. (Keras 3 keeps them in the call's kwargs, which shape rules do not see.)
 */
function sequenceInput(call: LayerCall, stateSizes: readonly number[]): Shape {
  if (call.inputs.length <= 1) return singleInput(call);
  const [input, ...states] = call.inputs as [Shape, ...Shape[]];
  if (states.length !== stateSizes.length) {
    throw shapeError(
      call,
      `expected the sequence plus ${stateSizes.length} initial state(s) of sizes ${stateSizes.join(', ')}, got ${call.inputs.length} inputs (${call.inputs.map(formatShape).join(', ')})`,
    );
  }
  states.forEach((state, i) => {
    const size = state[state.length - 1];
    if (state.length !== 2 || (size !== null && size !== stateSizes[i])) {
      throw shapeError(call, `initial state ${i} must have shape (batch, ${stateSizes[i]}), got ${formatShape(state)}`);
    }
  });
  return input;
}

/** Output `(batch, [timesteps,] output_size)`, then one `(batch, size)` per state if `return_state`. */
function recurrentOutputs(call: LayerCall, outputSize: number, stateSizes: number[]): Shape[] {
  const input = sequenceInput(call, stateSizes);
  expectRank(call, input, 3, '(batch, timesteps, features)');
  if (input[2] === null)
    throw shapeError(call, `expected input with a known last dimension (features), got shape ${formatShape(input)}`);
  const batch = input[0] ?? null;
  const output: Shape = configBool(call, 'return_sequences', false)
    ? [batch, input[1] ?? null, outputSize]
    : [batch, outputSize];
  if (!configBool(call, 'return_state', false)) return [output];
  return [output, ...stateSizes.map((size): Shape => [batch, size])];
}

function recurrentRule(className: string): ShapeRule {
  return (call) => {
    const units = configInt(call, 'units');
    return recurrentOutputs(call, units, Array<number>(ownValue(STATE_COUNT, className) ?? 1).fill(units));
  };
}

const genericRnn: ShapeRule = (call) => {
  const { outputSize, stateSizes } = cellSizes(call, call.config['cell']);
  return recurrentOutputs(call, outputSize, stateSizes);
};

/**
 * Keras 3 `Bidirectional`: runs `layer` forwards and `backward_layer` (default: a copy)
 * backwards. `merge_mode` concat adds the last dims, sum/mul/ave keep them, `null` returns
 * both outputs; with `return_state` the forward then the backward states follow.
 */
const bidirectional: ShapeRule = (call) => {
  const input = singleInput(call);
  const forward = configLayer(call, 'layer');
  const forwardOut = call.infer(forward.className, forward.config, [input], `${call.name}/forward`);
  const backward = call.config['backward_layer'] == null ? forward : configLayer(call, 'backward_layer');
  const backwardOut =
    backward === forward
      ? forwardOut
      : call.infer(backward.className, backward.config, [input], `${call.name}/backward`);
  const [fwd, ...fwdStates] = forwardOut as [Shape, ...Shape[]];
  const [bwd, ...bwdStates] = backwardOut as [Shape, ...Shape[]];
  const mode = call.config['merge_mode'] === undefined ? 'concat' : call.config['merge_mode'];
  const last = (shape: Shape): number | null => shape[shape.length - 1] ?? null;
  let outputs: Shape[];
  if (mode === null) outputs = [fwd, bwd];
  else if (mode === 'concat') {
    const a = last(fwd);
    const b = last(bwd);
    outputs = [[...fwd.slice(0, -1), a === null || b === null ? null : a + b]];
  } else if (mode === 'sum' || mode === 'mul' || mode === 'ave') {
    if (formatShape(fwd) !== formatShape(bwd)) {
      throw shapeError(
        call,
        `merge_mode "${mode}" needs equal forward and backward outputs, got ${formatShape(fwd)} and ${formatShape(bwd)}`,
      );
    }
    outputs = [fwd];
  } else {
    throw shapeError(
      call,
      `invalid config "merge_mode": expected one of "concat", "sum", "mul", "ave", null, got ${JSON.stringify(mode)}`,
    );
  }
  return [...outputs, ...fwdStates, ...bwdStates];
};

/** `TimeDistributed`: applies `layer` to every timestep: `(batch, t, …)` → `(batch, t, …inner output)`. */
const timeDistributed: ShapeRule = (call) => {
  const input = singleInput(call);
  expectMinRank(call, input, 3);
  const inner = configLayer(call, 'layer');
  const innerInput: Shape = [input[0] ?? null, ...input.slice(2)];
  const innerOut = call.infer(
    inner.className,
    inner.config,
    [innerInput],
    `${call.name}/${String(inner.config['name'] ?? inner.className)}`,
  );
  return innerOut.map((shape) => [shape[0] ?? null, input[1] ?? null, ...shape.slice(1)]);
};

export const rnnRules: Record<string, ShapeRule> = {
  SimpleRNN: recurrentRule('SimpleRNN'),
  LSTM: recurrentRule('LSTM'),
  WeightDropLSTM: recurrentRule('LSTM'),
  GRU: recurrentRule('GRU'),
  RNN: genericRnn,
  Bidirectional: bidirectional,
  TimeDistributed: timeDistributed,
};

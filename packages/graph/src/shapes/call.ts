import type { JsonObject, JsonValue, Shape } from '../ir.js';
import { formatShape, ShapeError } from './errors.js';

/** Everything a shape rule gets: the layer, its config and its input shapes. */
export interface LayerCall {
  className: string;
  name: string;
  config: JsonObject;
  inputs: Shape[];
  /** The call's keyword arguments as written in the file (snake_case); `{}` when none. */
  kwargs: JsonObject;
  /** Infers another layer's shapes (for wrappers such as `TimeDistributed`). */
  infer(className: string, config: JsonObject, inputs: Shape[], name?: string, kwargs?: JsonObject): Shape[];
}

/** A shape rule: output shapes of one call, or a thrown {@link ShapeError}. */
export type ShapeRule = (call: LayerCall) => Shape[];

/** A {@link ShapeError} for this layer. */
export function shapeError(call: LayerCall, detail: string): ShapeError {
  return new ShapeError(call.name, call.className, detail);
}

function show(value: JsonValue | undefined): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

function configError(call: LayerCall, key: string, expected: string): ShapeError {
  return shapeError(call, `invalid config "${key}": expected ${expected}, got ${show(call.config[key])}`);
}

/** The only input of a single-input layer. */
export function singleInput(call: LayerCall): Shape {
  const [input] = call.inputs;
  if (call.inputs.length !== 1 || input === undefined) {
    throw shapeError(
      call,
      `expected 1 input, got ${call.inputs.length}${call.inputs.length > 0 ? ` (${call.inputs.map(formatShape).join(', ')})` : ''}`,
    );
  }
  return input;
}

/** Checks the rank (batch included) of `shape`; `description` names the axes. */
export function expectRank(call: LayerCall, shape: Shape, rank: number, description: string): void {
  if (shape.length !== rank) {
    throw shapeError(call, `expected input of rank ${rank} ${description}, got shape ${formatShape(shape)}`);
  }
}

/** Checks that `shape` has at least `rank` dimensions (batch included). */
export function expectMinRank(call: LayerCall, shape: Shape, rank: number): void {
  if (shape.length < rank) {
    throw shapeError(call, `expected input of rank >= ${rank}, got shape ${formatShape(shape)}`);
  }
}

export function configInt(call: LayerCall, key: string, fallback?: number): number {
  const value = call.config[key];
  if ((value === undefined || value === null) && fallback !== undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  throw configError(call, key, 'an integer');
}

/** An int or a list of `length` ints (Keras's `standardize_tuple`); `null` or absent → `fallback`. */
export function configIntTuple(call: LayerCall, key: string, length: number, fallback?: readonly number[]): number[] {
  const value = call.config[key];
  if ((value === undefined || value === null) && fallback !== undefined) return [...fallback];
  if (typeof value === 'number' && Number.isInteger(value)) return Array.from({ length }, () => value);
  if (
    Array.isArray(value) &&
    value.length === length &&
    value.every((v) => typeof v === 'number' && Number.isInteger(v))
  ) {
    return value as number[];
  }
  throw configError(call, key, `an integer or a list of ${length} integers`);
}

export function configString<T extends string>(call: LayerCall, key: string, choices: readonly T[], fallback: T): T {
  const value = call.config[key];
  if (value === undefined || value === null) return fallback;
  const lowered = typeof value === 'string' ? value.toLowerCase() : value;
  const match = choices.find((choice) => choice === lowered);
  if (match !== undefined) return match;
  throw configError(call, key, `one of ${choices.map((c) => `"${c}"`).join(', ')}`);
}

export function configBool(call: LayerCall, key: string, fallback: boolean): boolean {
  const value = call.config[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  throw configError(call, key, 'true or false');
}

/** A list of ints (e.g. `target_shape`, `dims`). */
export function configIntList(call: LayerCall, key: string): number[] {
  const value = call.config[key];
  if (Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isInteger(v)))
    return value as number[];
  throw configError(call, key, 'a list of integers');
}

/** One axis or a list of axes; negative axes count from the end. */
export function configAxes(call: LayerCall, key: string, fallback: number): number[] {
  const value = call.config[key];
  if (value === undefined || value === null) return [fallback];
  if (typeof value === 'number' && Number.isInteger(value)) return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isInteger(v)))
    return value as number[];
  throw configError(call, key, 'an integer axis or a list of axes');
}

/** A nested serialized layer (`{class_name, config}`), e.g. a wrapper's `layer`. */
export function configLayer(call: LayerCall, key: string): { className: string; config: JsonObject } {
  const value = call.config[key];
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const className = value['class_name'];
    const config = value['config'];
    if (typeof className === 'string' && typeof config === 'object' && config !== null && !Array.isArray(config)) {
      return { className, config };
    }
  }
  throw configError(call, key, 'a serialized layer {"class_name": …, "config": {…}}');
}

/** Resolves a possibly negative axis against `rank`, or throws naming the valid range. */
export function resolveAxis(call: LayerCall, axis: number, shape: Shape, key = 'axis'): number {
  const rank = shape.length;
  const resolved = axis < 0 ? axis + rank : axis;
  if (resolved < 0 || resolved >= rank) {
    throw shapeError(
      call,
      `${key} ${axis} is out of range for input shape ${formatShape(shape)} (valid: ${-rank} to ${rank - 1})`,
    );
  }
  return resolved;
}

/** `channels_last` / `channels_first` (Keras's default is `channels_last`). */
export function dataFormat(call: LayerCall): 'channels_last' | 'channels_first' {
  return configString(call, 'data_format', ['channels_last', 'channels_first'], 'channels_last');
}

/** Splits an image-like shape into batch, spatial dims and channels according to `data_format`. */
export function splitChannels(
  call: LayerCall,
  shape: Shape,
): { batch: number | null; spatial: (number | null)[]; channels: number | null } {
  const format = dataFormat(call);
  const batch = shape[0] ?? null;
  if (format === 'channels_last')
    return { batch, spatial: shape.slice(1, -1), channels: shape[shape.length - 1] ?? null };
  return { batch, spatial: shape.slice(2), channels: shape[1] ?? null };
}

/** Joins batch, spatial dims and channels back according to `data_format`. */
export function joinChannels(
  call: LayerCall,
  batch: number | null,
  spatial: (number | null)[],
  channels: number | null,
): Shape {
  return dataFormat(call) === 'channels_last' ? [batch, ...spatial, channels] : [batch, channels, ...spatial];
}

/** Axis description for error messages, e.g. `(batch, rows, cols, channels)`. */
export function axesDescription(call: LayerCall, spatialNames: readonly string[]): string {
  const names =
    dataFormat(call) === 'channels_last'
      ? ['batch', ...spatialNames, 'channels']
      : ['batch', 'channels', ...spatialNames];
  return `(${names.join(', ')})`;
}

/** Spatial axis names for 1, 2 or 3 spatial dimensions. */
export function spatialNames(rank: number): string[] {
  return rank === 1 ? ['steps'] : rank === 2 ? ['rows', 'cols'] : ['dim1', 'dim2', 'dim3'];
}

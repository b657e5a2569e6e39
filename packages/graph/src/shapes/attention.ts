/**
 * Shape rules for the attention layers (Keras `layers/attention`): `Attention`,
 * `AdditiveAttention` and `MultiHeadAttention`, plus the attention-axes geometry that the
 * runtime's MultiHeadAttention uses too.
 */
import type { JsonValue, Shape } from '../ir.js';
import { configInt, shapeError, type LayerCall, type ShapeRule } from './call.js';
import { formatShape } from './errors.js';

function listOf(shapes: readonly Shape[]): string {
  return shapes.map(formatShape).join(', ');
}

/** Whether the call passes `return_attention_scores=True` (then the scores are a second output). */
function returnsScores(call: LayerCall): boolean {
  return call.kwargs['return_attention_scores'] === true;
}

/** Two known sizes that differ. */
function differ(a: number | null | undefined, b: number | null | undefined): boolean {
  return a !== null && a !== undefined && b !== null && b !== undefined && a !== b;
}

/** `[query, value]` or `[query, value, key]`, each of rank ≥ `minRank`; `key` defaults to `value`. */
function queryValueKey(call: LayerCall, minRank: number): { query: Shape; value: Shape; key: Shape } {
  const n = call.inputs.length;
  if (n < 2 || n > 3) {
    throw shapeError(
      call,
      `expected [query, value] or [query, value, key] (2 or 3 inputs), got ${n}${n > 0 ? ` (${listOf(call.inputs)})` : ''}`,
    );
  }
  const [query, value] = call.inputs as [Shape, Shape];
  const key = call.inputs[2] ?? value;
  for (const [what, shape] of [
    ['query', query],
    ['value', value],
    ['key', key],
  ] as const) {
    if (shape.length < minRank)
      throw shapeError(call, `expected a ${what} of rank >= ${minRank}, got shape ${formatShape(shape)}`);
  }
  if (differ(query[0], value[0]) || differ(query[0], key[0])) {
    throw shapeError(call, `query, value and key must have the same batch size, got ${listOf(call.inputs)}`);
  }
  return { query, value, key };
}

/**
 * `Attention` / `AdditiveAttention`: the output is `(*query[:-1], value[-1])`; with
 * `return_attention_scores` the scores `(*query[:-1], Tv)` follow. Query and key must share
 * their last axis (dot product, or the sum of `tanh(query + key)`).
 */
const luongOrBahdanau: ShapeRule = (call) => {
  const { query, value, key } = queryValueKey(call, 3);
  if (differ(query[query.length - 1], key[key.length - 1])) {
    throw shapeError(
      call,
      `query and key must have the same last dimension, got query ${formatShape(query)} and key ${formatShape(key)}`,
    );
  }
  if (differ(value[value.length - 2], key[key.length - 2])) {
    throw shapeError(
      call,
      `value and key must have the same number of steps (axis -2), got value ${formatShape(value)} and key ${formatShape(key)}`,
    );
  }
  const output: Shape = [...query.slice(0, -1), value[value.length - 1] ?? null];
  if (!returnsScores(call)) return [output];
  return [output, [...query.slice(0, -1), key[key.length - 2] ?? null]];
};

/**
 * The attention axes of a MultiHeadAttention over query inputs of rank `queryRank`, as
 * axes of the projected `(batch, …, heads, channels)` tensors (Keras `_build_attention`):
 * `null` means every axis between batch and features.
 *
 * @throws Error naming the valid range when an axis is the batch or the feature axis
 */
export function multiHeadAttentionAxes(queryRank: number, attentionAxes: readonly number[] | null): number[] {
  const projectedRank = queryRank + 1;
  if (attentionAxes === null) return Array.from({ length: projectedRank - 3 }, (_, i) => i + 1);
  const axes = attentionAxes.map((axis) => (axis >= 0 ? axis : projectedRank - 1 + axis));
  for (const [i, axis] of axes.entries()) {
    if (!Number.isInteger(axis) || axis < 1 || axis > queryRank - 2) {
      throw new Error(
        `attention_axes ${JSON.stringify(attentionAxes)}: axis ${attentionAxes[i]} is not an axis between batch and features of a query of rank ${queryRank} ` +
          `(valid: 1 to ${queryRank - 2}, or ${1 - queryRank} to -2)`,
      );
    }
  }
  if (new Set(axes).size !== axes.length)
    throw new Error(`attention_axes ${JSON.stringify(attentionAxes)} names an axis twice`);
  return axes;
}

/** `attention_axes` of a config: `null`, one int, or a list of ints. */
function configAttentionAxes(call: LayerCall): number[] | null {
  const value: JsonValue | undefined = call.config['attention_axes'];
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && Number.isInteger(value)) return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isInteger(v)))
    return value as number[];
  throw shapeError(
    call,
    `invalid config "attention_axes": expected null, an integer or a list of integers, got ${JSON.stringify(value)}`,
  );
}

/** `output_shape` of a config: `null` (query's last size), one int, or a list of ints. */
function configOutputShape(call: LayerCall): number[] | null {
  const value: JsonValue | undefined = call.config['output_shape'];
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) return null;
  if (typeof value === 'number' && Number.isInteger(value)) return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isInteger(v) && v > 0))
    return value as number[];
  throw shapeError(
    call,
    `invalid config "output_shape": expected null, a positive integer or a list of them, got ${JSON.stringify(value)}`,
  );
}

/**
 * `MultiHeadAttention(query, value, key?)`: the output is `query[:-1] + output_shape`
 * (default: the query's last size). `value` and `key` must agree on every axis but the last.
 * With `return_attention_scores` the scores follow, shaped `(batch, <other axes>, heads,
 * <query attention axes>, <key attention axes>)` — `(B, heads, T, S)` for sequences. (Keras's
 * symbolic shape says `(B, heads, T, T)`, wrong when T ≠ S; this is the shape it computes.)
 */
const multiHeadAttention: ShapeRule = (call) => {
  const { query, value, key } = queryValueKey(call, 3);
  const numHeads = configInt(call, 'num_heads');
  configInt(call, 'key_dim');
  if (value.length !== key.length || value.slice(1, -1).some((d, i) => differ(d, key[i + 1]))) {
    throw shapeError(
      call,
      `all dimensions of value and key except the last must be equal, got value ${formatShape(value)} and key ${formatShape(key)}`,
    );
  }
  if (query.length !== key.length) {
    throw shapeError(
      call,
      `query and key must have the same rank, got query ${formatShape(query)} and key ${formatShape(key)}`,
    );
  }
  const outputShape = configOutputShape(call);
  const output: Shape = [...query.slice(0, -1), ...(outputShape ?? [query[query.length - 1] ?? null])];
  if (!returnsScores(call)) return [output];
  let axes: number[];
  try {
    axes = multiHeadAttentionAxes(query.length, configAttentionAxes(call));
  } catch (error) {
    throw shapeError(call, (error as Error).message);
  }
  const projectedQuery = [...query.slice(0, -1), numHeads];
  const projectedKey = [...key.slice(0, -1), numHeads];
  const batchAxes = projectedQuery.map((_, i) => i).filter((i) => !axes.includes(i));
  const scores: Shape = [
    ...batchAxes.map((i) => projectedQuery[i] ?? null),
    ...axes.map((i) => projectedQuery[i] ?? null),
    ...axes.map((i) => projectedKey[i] ?? null),
  ];
  return [output, scores];
};

/**
 * Tensor arguments a layer's call takes positionally but a file may pass by keyword
 * (`mha(query=x, value=y)`; tf.keras 2 writes `value` as a kwarg), in positional order.
 */
export const POSITIONAL_TENSOR_KWARGS: Readonly<Record<string, readonly string[]>> = {
  MultiHeadAttention: ['query', 'value', 'key'],
};

/** Rules for `keras.layers` attention classes. */
export const attentionRules: Record<string, ShapeRule> = {
  Attention: luongOrBahdanau,
  AdditiveAttention: luongOrBahdanau,
  MultiHeadAttention: multiHeadAttention,
};

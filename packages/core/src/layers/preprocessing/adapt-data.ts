/**
 * What `adapt` accepts, and helpers that turn it into plain JS values: the preprocessing
 * layers do their string and counting work in JS (TF.js string tensors cannot be computed
 * on by every backend), from `tensor.arraySync()`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { DataError } from '../../utils/errors.js';

/** A nested array of values (strings or numbers), as `tensor.arraySync()` returns. */
export type NestedValues<T> = T | NestedValues<T>[];

/** One batch of adapt data: a tensor or a (nested) array. */
export type AdaptBatch = tf.Tensor | NestedValues<string | number>[];

/**
 * Data for `adapt`: one tensor or array (all of it at once), or an iterable / async
 * iterable of batches (tensors or arrays; an `{x, y}` pair or `[x, y]` tuple counts its `x`).
 */
export type AdaptData =
  | AdaptBatch
  | Iterable<AdaptBatch | { x: AdaptBatch }>
  | AsyncIterable<AdaptBatch | { x: AdaptBatch } | [AdaptBatch, unknown]>;

const decoder = new TextDecoder();

/** A tensor's values as nested JS values; string tensors give strings (bytes decoded as UTF-8). */
export function tensorValues(tensor: tf.Tensor): NestedValues<string | number> {
  const decode = (value: unknown): NestedValues<string | number> => {
    if (Array.isArray(value)) return value.map(decode);
    if (value instanceof Uint8Array) return decoder.decode(value);
    return value as string | number;
  };
  return decode(tensor.arraySync());
}

/** The shape of a rectangular nested array (the first element decides each level). */
export function nestedShape(values: NestedValues<unknown>): number[] {
  const shape: number[] = [];
  let level: unknown = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  return shape;
}

/** Flattens nested values in row-major order. */
export function flatValues<T>(values: NestedValues<T>): T[] {
  if (!Array.isArray(values)) return [values];
  const out: T[] = [];
  const walk = (v: NestedValues<T>): void => {
    if (Array.isArray(v)) for (const item of v) walk(item);
    else out.push(v);
  };
  walk(values);
  return out;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

function batchOf(item: unknown): AdaptBatch {
  if (item instanceof tf.Tensor) return item;
  if (typeof item === 'object' && item !== null && !Array.isArray(item) && 'x' in item)
    return (item as { x: AdaptBatch }).x;
  return item as AdaptBatch;
}

/**
 * The batches of adapt data, in order: a tensor or array is one batch; iterables (and async
 * iterables) give theirs. Arrays are one batch, not a list of batches, as Keras treats lists.
 */
export async function* adaptBatches(data: AdaptData): AsyncGenerator<AdaptBatch> {
  if (data instanceof tf.Tensor || Array.isArray(data)) {
    yield data as AdaptBatch;
    return;
  }
  if (isAsyncIterable(data)) {
    for await (const item of data)
      yield batchOf(Array.isArray(item) && item.length === 2 && item[0] instanceof tf.Tensor ? item[0] : item);
    return;
  }
  if (typeof data === 'object' && data !== null && Symbol.iterator in data) {
    for (const item of data as Iterable<unknown>) yield batchOf(item);
    return;
  }
  throw new DataError(`adapt() expects a tensor, an array, or an (async) iterable of batches, got ${typeof data}`);
}

/** A batch as nested JS values. */
export function batchValues(batch: AdaptBatch): NestedValues<string | number> {
  return batch instanceof tf.Tensor ? tensorValues(batch) : (batch as NestedValues<string | number>);
}

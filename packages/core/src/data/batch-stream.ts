/**
 * Batches from generators and iterables, for data larger than memory (Keras's
 * `trainers/data_adapters/generator_data_adapter` and `PyDataset`, with the epoch logic of
 * `trainers/epoch_iterator`).
 *
 * - An ITERATOR (a generator object, `Iterator`, `AsyncIterator`: its `[Symbol.iterator]()`
 *   returns itself) is read once: epochs continue where the last one stopped, and once it is
 *   exhausted training ends with Keras's "ran out of data" warning.
 * - An ITERABLE that is not an iterator (an object whose `[Symbol.iterator]` or
 *   `[Symbol.asyncIterator]` makes a new iterator each call, e.g. a class with a generator
 *   method) is asked for a fresh iterator each epoch, as Keras does with a `PyDataset`. With
 *   `stepsPerEpoch` the iterator carries over to the next epoch until it runs out.
 *
 * JS arrays are never streams: an array is data (`DataInput`), as before.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DataInput } from './convert.js';
import type { SampleWeightInput } from './arrays.js';
import { DataError } from '../utils/errors.js';

/**
 * One batch from a generator: `[x, y]`, `[x, y, sampleWeight]` or `{ x, y?, sampleWeight? }`
 * (Keras's `(x, y)` / `(x, y, sample_weight)` tuples); `{ xs, ys }`, the items of TF.js's
 * `fitDataset`, are accepted too. `x` and `y` are what `fit` takes for
 * arrays: a tensor (or nested array, `{data, shape}`), a list in input order, or a dict by input
 * name. For `predict` an item may also be `x` alone.
 */
export type BatchItem =
  | [x: DataInput, y: DataInput]
  | [x: DataInput, y: DataInput, sampleWeight: SampleWeightInput]
  | { x: DataInput; y?: DataInput; sampleWeight?: SampleWeightInput }
  | { xs: DataInput; ys?: DataInput };

/** A sync or async iterable of batches (generator, async generator, or re-iterable object). */
export type BatchStream<T = BatchItem> = Iterable<T> | AsyncIterable<T>;

/** A batch item split into its parts (`y`/`sampleWeight` undefined when absent). */
export interface UnpackedItem {
  x: DataInput;
  y: DataInput | undefined;
  sampleWeight: SampleWeightInput | undefined;
}

const ITEM_KEYS = new Set(['x', 'y', 'sampleWeight']);

/** True for generators, iterators and iterable objects that are not arrays, typed arrays or tensors. */
export function isBatchStream(value: unknown): value is BatchStream<unknown> {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value) || ArrayBuffer.isView(value) || value instanceof tf.Tensor) return false;
  const v = value as Record<symbol, unknown>;
  return typeof v[Symbol.iterator] === 'function' || typeof v[Symbol.asyncIterator] === 'function';
}

const TFJS_ITEM_KEYS = new Set(['xs', 'ys']);

function isItemObject(value: unknown): value is { x: DataInput; y?: DataInput; sampleWeight?: SampleWeightInput } {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof tf.Tensor) return false;
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  const keys = Object.keys(value);
  return Object.hasOwn(value, 'x') && keys.every((k) => ITEM_KEYS.has(k));
}

/** TF.js's `fitDataset` items: `{xs, ys}`. */
function isTfjsItem(value: unknown): value is { xs: DataInput; ys?: DataInput } {
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.hasOwn(value, 'xs') && Object.keys(value).every((k) => TFJS_ITEM_KEYS.has(k));
}

function describeItem(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (value instanceof tf.Tensor) return `a tensor of shape [${value.shape.join(', ')}]`;
  if (typeof value === 'object') return `an object with keys ${Object.keys(value).join(', ') || '(none)'}`;
  return `${typeof value} ${String(value)}`;
}

/**
 * Splits a yielded item. `forPredict` also accepts `x` alone (a tensor, or for a one-input model
 * anything that is not a `[x, y]` pair of tensors).
 */
export function unpackItem(item: unknown, where: string, forPredict: boolean): UnpackedItem {
  if (isItemObject(item)) return { x: item.x, y: item.y, sampleWeight: item.sampleWeight };
  if (isTfjsItem(item)) return { x: item.xs, y: item.ys, sampleWeight: undefined };
  if (forPredict) {
    // `[x, y]` pairs from a training generator also work in predict (y ignored, as Keras).
    if (
      Array.isArray(item) &&
      item.length >= 2 &&
      item.length <= 3 &&
      item[0] instanceof tf.Tensor &&
      item[1] instanceof tf.Tensor
    ) {
      return { x: item[0] as DataInput, y: undefined, sampleWeight: undefined };
    }
    return { x: item as DataInput, y: undefined, sampleWeight: undefined };
  }
  if (Array.isArray(item) && (item.length === 2 || item.length === 3)) {
    return { x: item[0] as DataInput, y: item[1] as DataInput, sampleWeight: item[2] as SampleWeightInput | undefined };
  }
  throw new DataError(
    `${where}: expected [x, y], [x, y, sampleWeight] or {x, y, sampleWeight}, got ${describeItem(item)}`,
  );
}

/** Every tensor in a yielded item (arrays and plain objects walked; typed arrays skipped). */
export function tensorsInItem(item: unknown, out: tf.Tensor[] = []): tf.Tensor[] {
  if (item instanceof tf.Tensor) out.push(item);
  else if (Array.isArray(item)) for (const v of item) tensorsInItem(v, out);
  else if (
    item !== null &&
    typeof item === 'object' &&
    !ArrayBuffer.isView(item) &&
    Object.getPrototypeOf(item) === Object.prototype
  ) {
    for (const v of Object.values(item)) tensorsInItem(v, out);
  }
  return out;
}

type AnyIterator = Iterator<unknown> | AsyncIterator<unknown>;

function openIterator(stream: BatchStream<unknown>): AnyIterator {
  const s = stream as Partial<Iterable<unknown> & AsyncIterable<unknown>>;
  return typeof s[Symbol.asyncIterator] === 'function' ? s[Symbol.asyncIterator]!() : s[Symbol.iterator]!();
}

/** Keras's warning when the data runs out before `stepsPerEpoch * epochs` batches. */
export const RAN_OUT_WARNING =
  'Your input ran out of data; interrupting training. Make sure that your dataset or generator can generate at least ' +
  '`stepsPerEpoch * epochs` batches. You may need to make it repeat (e.g. a `while (true)` loop in the generator).';

/** Epochs over a batch stream: which iterator to read and whether the data has run out. */
export class StreamEpochs<T = unknown> {
  /** True when the stream is a one-shot iterator (generator object). */
  readonly oneShot: boolean;
  private current: AnyIterator | null = null;
  /** A one-shot iterator has finished: no further epoch can run. */
  exhausted = false;
  /** Batches an epoch holds when known (`stepsPerEpoch`, an iterable's `length`, or counted in a full first pass). */
  knownSteps: number | null;

  constructor(
    private readonly stream: BatchStream<T>,
    readonly stepsPerEpoch: number | undefined,
  ) {
    // An iterator (it has `next`) returns itself from [Symbol.iterator]: it can be read only once.
    this.oneShot = typeof (stream as { next?: unknown }).next === 'function';
    const length = (stream as { length?: unknown }).length;
    this.knownSteps = stepsPerEpoch ?? (typeof length === 'number' && Number.isInteger(length) ? length : null);
  }

  /** Starts an epoch: a fresh iterator for a re-iterable stream (unless `stepsPerEpoch` carries one over). */
  beginEpoch(): void {
    if (this.oneShot) {
      this.current ??= this.exhausted ? null : openIterator(this.stream);
    } else if (this.current === null || this.stepsPerEpoch === undefined) {
      this.close();
      this.current = openIterator(this.stream);
    }
  }

  /** The next item of this epoch, or `null` when the iterator has finished. */
  async next(): Promise<T | null> {
    if (this.current === null) return null;
    const r = await this.current.next();
    if (r.done === true) {
      this.current = null;
      if (this.oneShot) this.exhausted = true;
      return null;
    }
    return r.value as T;
  }

  /** Called when an epoch ended after `count` batches because the data ran out (`ranOut`) or the steps were done. */
  endEpoch(count: number, ranOut: boolean): void {
    if (ranOut && this.stepsPerEpoch === undefined && this.knownSteps === null) this.knownSteps = count;
  }

  /**
   * Drops an iterator this class opened (letting its generator run `finally` blocks); a one-shot
   * iterator is the caller's and stays open, so a later `fit` can continue reading it.
   */
  close(): void {
    if (this.oneShot) return;
    const it = this.current;
    this.current = null;
    if (it !== null && typeof it.return === 'function') {
      const done = it.return(undefined);
      if (done instanceof Promise) done.catch(() => undefined);
    }
  }
}

/**
 * Where the loops get their batches: in-memory arrays (shuffled per epoch, sliced) or a stream
 * of batches from a generator or iterable. Both give the loop the same interface, so `fit`,
 * `evaluate` and `predict` have one loop each.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Model } from '../engine/model.js';
import { EpochData } from '../data/batching.js';
import { withNaNWarningsOnce } from '../data/convert.js';
import {
  Owned,
  arrayLabels,
  flatten,
  prepareArrays,
  prepareX,
  unflatten,
  type Arrays,
  type Batch,
  type Layout,
} from '../data/arrays.js';
import { StreamEpochs, tensorsInItem, unpackItem, type BatchStream } from '../data/batch-stream.js';

/** A batch handed to a step; `release` frees its tensors. */
export interface SourceBatch {
  batch: Batch;
  /** How errors name each tensor of `flat` (inputs, targets, weights). */
  labels(): string[];
  /** The batch's tensors as one list (for the finite-values check). */
  flat: tf.Tensor[];
  release(): void;
}

/** Batches for the epochs of one loop. */
export interface BatchSource {
  /** Batches per epoch when known (callbacks' `params.steps`; `null`: until the data runs out). */
  readonly steps: number | null;
  /** Most batches an epoch takes (`null`: until the data runs out). */
  readonly limit: number | null;
  /** Whether running out before `limit` batches deserves Keras's "ran out of data" warning. */
  readonly warnWhenShort: boolean;
  /** Starts an epoch; resolves false when no batch is left (an exhausted one-shot generator). */
  beginEpoch(): Promise<boolean>;
  /** The next batch of the epoch, or null when the data ran out. */
  next(): Promise<SourceBatch | null>;
  /** Ends the epoch after `count` batches. */
  endEpoch(count: number, ranOut: boolean): void;
  dispose(): void;
}

/** Arrays in memory: one shuffle (gather) per epoch, batches by slicing, more passes when `steps` asks for them. */
export class ArraySource implements BatchSource {
  readonly steps: number;
  readonly limit: number;
  readonly warnWhenShort = false;
  private readonly flat: tf.Tensor[];
  private readonly layout: Layout;
  private readonly batchesInData: number;
  private data: EpochData | null = null;
  private index = 0;

  constructor(
    private readonly model: Model,
    arrays: Arrays,
    private readonly batchSize: number,
    private readonly shuffle: boolean,
    steps: number | undefined,
    /** Whether steps beyond the data start another pass (fit) or stop (evaluate, predict). */
    private readonly repeat: boolean,
  ) {
    const { list, layout } = flatten(arrays);
    this.flat = list;
    this.layout = layout;
    this.batchesInData = Math.ceil(arrays.x[0]!.shape[0]! / batchSize);
    this.steps = repeat ? (steps ?? this.batchesInData) : Math.min(steps ?? Infinity, this.batchesInData);
    this.limit = this.steps;
  }

  beginEpoch(): Promise<boolean> {
    this.data = new EpochData(this.flat, this.shuffle);
    this.index = 0;
    return Promise.resolve(true);
  }

  next(): Promise<SourceBatch | null> {
    if (this.index === this.batchesInData) {
      if (!this.repeat) return Promise.resolve(null);
      // stepsPerEpoch beyond the data: start another pass over it.
      this.data?.dispose();
      this.data = new EpochData(this.flat, this.shuffle);
      this.index = 0;
    }
    const parts = this.data!.batch(this.index++, this.batchSize);
    return Promise.resolve({
      batch: unflatten(parts, this.layout),
      flat: parts,
      labels: () => arrayLabels(this.model, this.layout),
      release: () => tf.dispose(parts),
    });
  }

  endEpoch(): void {
    this.data?.dispose();
    this.data = null;
  }

  dispose(): void {
    this.endEpoch();
  }
}

/** Options of a {@link StreamSource}. */
export interface StreamSourceOptions {
  /** Batches per epoch (`stepsPerEpoch`, `validationSteps`, `steps`); default until the data runs out. */
  steps?: number;
  /** `fit`, `evaluate`, `validationData`, `predict`: names the data in errors. */
  role: string;
  /** Only `x` is needed (predict). */
  inputsOnly: boolean;
  /** Training data: NaN is refused per batch, so no NaN warning here. */
  training: boolean;
  /** Checks each batch's targets (sparse labels in range). */
  checkTargets?: (y: tf.Tensor[]) => void;
}

/**
 * Batches yielded by a generator or iterable. The loop owns every tensor in a yielded item and
 * disposes it after the step (as TF.js's `fitDataset`): yield new tensors for each batch.
 */
export class StreamSource implements BatchSource {
  readonly limit: number | null;
  readonly warnWhenShort: boolean;
  private readonly epochs: StreamEpochs;
  private buffered: unknown = null;
  private count = 0;

  constructor(
    private readonly model: Model,
    stream: BatchStream<unknown>,
    private readonly options: StreamSourceOptions,
  ) {
    this.epochs = new StreamEpochs(stream, options.steps);
    this.limit = options.steps ?? null;
    this.warnWhenShort = options.steps !== undefined;
  }

  get steps(): number | null {
    return this.epochs.knownSteps;
  }

  async beginEpoch(): Promise<boolean> {
    this.epochs.beginEpoch();
    // Read the first batch now: an exhausted generator ends training before the epoch begins.
    this.buffered = await this.epochs.next();
    return this.buffered !== null;
  }

  async next(): Promise<SourceBatch | null> {
    const item = this.buffered ?? (await this.epochs.next());
    this.buffered = null;
    if (item === null) return null;
    return this.convert(item, this.count++);
  }

  endEpoch(count: number, ranOut: boolean): void {
    this.epochs.endEpoch(count, ranOut);
  }

  dispose(): void {
    this.epochs.close();
  }

  private convert(item: unknown, index: number): SourceBatch {
    const { role, inputsOnly, training, checkTargets } = this.options;
    const where = `${role}: batch ${index} of the generator`;
    const userTensors = tensorsInItem(item);
    const owned = new Owned();
    const release = (): void => {
      owned.dispose();
      tf.dispose(userTensors);
    };
    try {
      const parts = unpackItem(item, where, inputsOnly);
      let arrays: Arrays;
      if (inputsOnly) {
        arrays = {
          x: withNaNWarningsOnce(() => prepareX(this.model, parts.x, owned, `${where}, x`)),
          y: [],
          sampleWeight: null,
        };
      } else {
        arrays = withNaNWarningsOnce(
          () => prepareArrays(this.model, parts.x, parts.y, parts.sampleWeight, undefined, owned, where),
          { silent: training },
        );
        checkTargets?.(arrays.y);
      }
      const { list, layout } = flatten(arrays);
      return { batch: arrays, flat: list, labels: () => arrayLabels(this.model, layout), release };
    } catch (error) {
      release();
      if (error instanceof Error && error.message.includes('has been disposed')) {
        error.message +=
          ' (the loop disposes the tensors of each batch after its step: yield new tensors for every batch)';
      }
      throw error;
    }
  }
}

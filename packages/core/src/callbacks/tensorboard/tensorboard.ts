/**
 * `TensorBoard` (Keras `keras.callbacks.TensorBoard`): writes the epoch logs as TensorBoard
 * scalars — training values to `<logDir>/train`, validation values (without their `val_`
 * prefix) to `<logDir>/validation`, tags `epoch_loss`, `epoch_accuracy`, …,
 * `epoch_learning_rate` — and, with `updateFreq: 'batch'` or a number, `batch_<name>` scalars
 * every N training batches. With `writeGraph` (default, as Keras) the model's Keras JSON goes to
 * `train/` under tag `keras` for the graph dashboard's conceptual graph. View them with
 * `tensorboard --logdir <logDir>`.
 */
import { join } from 'node:path';
import { Callback, type Logs } from '../callback.js';
import { EventFileWriter, type ScalarValue } from './event-file.js';
import { ConfigurationError } from '../../utils/errors.js';

/** Options of {@link TensorBoard}. */
export interface TensorBoardArgs {
  /** Folder of the logs (Keras `log_dir`, default `logs`); `train/` and `validation/` are made inside it. */
  logDir?: string;
  /**
   * `'epoch'` (default): write the epoch logs only. `'batch'` or N: also write the training
   * batch logs every N batches (Keras `update_freq`).
   */
  updateFreq?: 'epoch' | 'batch' | number;
  /**
   * Write the model's Keras JSON (`model.to_json()`) for TensorBoard's graph dashboard
   * (Keras `write_graph`, default true). Skipped for a model that cannot be serialized.
   */
  writeGraph?: boolean;
}

/** Numeric log entries as scalars named `<prefix><name>` (pairs, so a name like `__proto__` stays a name). */
const scalarsOf = (entries: readonly [string, unknown][], prefix: string): ScalarValue[] =>
  entries
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
    .map(([name, value]) => ({ tag: `${prefix}${name}`, value }));

/** Logs training to TensorBoard event files (no TensorFlow needed: the files are written directly). */
export class TensorBoard extends Callback {
  readonly logDir: string;
  /** `'epoch'`, or the number of training batches between batch-level writes. */
  readonly updateFreq: 'epoch' | number;
  readonly writeGraph: boolean;
  private train: EventFileWriter | undefined;
  private validation: EventFileWriter | undefined;
  private globalTrainBatch = 0;

  constructor(args: TensorBoardArgs = {}) {
    super();
    this.logDir = args.logDir ?? 'logs';
    const freq = args.updateFreq ?? 'epoch';
    if (freq !== 'epoch' && freq !== 'batch' && !(Number.isInteger(freq) && freq > 0)) {
      throw new ConfigurationError(
        `TensorBoard: updateFreq must be 'epoch', 'batch' or a positive integer, got ${JSON.stringify(freq)}`,
      );
    }
    this.updateFreq = freq === 'batch' ? 1 : freq;
    this.writeGraph = args.writeGraph ?? true;
  }

  /** The event file of the training scalars, once written. */
  get trainEventFile(): string | undefined {
    return this.train?.path;
  }

  /** The event file of the validation scalars, once written. */
  get validationEventFile(): string | undefined {
    return this.validation?.path;
  }

  override onTrainBegin(): void {
    // Each fit writes new files (created at their first scalar), as Keras's writers per `set_model`.
    this.train = new EventFileWriter(join(this.logDir, 'train'));
    this.validation = new EventFileWriter(join(this.logDir, 'validation'));
    this.globalTrainBatch = 0;
    if (this.writeGraph) this.writeModelConfig();
  }

  /** Keras's `keras_model_summary("keras", model, step=0)`: the model JSON for the graph plugin. */
  private writeModelConfig(): void {
    if (this.model === null) return;
    let json: string;
    try {
      json = this.model.toJson();
    } catch {
      // As in Keras: a model that cannot be serialized is not drawn, and training goes on.
      return;
    }
    this.train?.addText(0, { tag: 'keras', pluginName: 'graph_keras_model', pluginContent: '1', text: json });
  }

  override onTrainBatchBegin(): void {
    this.globalTrainBatch += 1;
  }

  override onTrainBatchEnd(_batch: number, logs: Logs = {}): void {
    if (this.updateFreq === 'epoch' || this.globalTrainBatch % this.updateFreq !== 0) return;
    this.train?.addScalars(this.globalTrainBatch, scalarsOf(Object.entries(logs), 'batch_'));
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    const entries = Object.entries(logs);
    const train = entries.filter(([name]) => !name.startsWith('val_'));
    const validation = entries
      .filter(([name]) => name.startsWith('val_'))
      .map(([name, value]): [string, number] => [name.slice(4), value]);
    const learningRate = this.learningRate();
    if (learningRate !== undefined && !train.some(([name]) => name === 'learning_rate'))
      train.push(['learning_rate', learningRate]);
    this.train?.addScalars(epoch, scalarsOf(train, 'epoch_'));
    this.validation?.addScalars(epoch, scalarsOf(validation, 'epoch_'));
  }

  /** The optimizer's learning rate, when the model is compiled (Keras adds it to the train logs). */
  private learningRate(): number | undefined {
    try {
      const rate: unknown = (this.model?.optimizer as { learningRate?: unknown } | undefined)?.learningRate;
      return typeof rate === 'number' ? rate : undefined;
    } catch {
      return undefined;
    }
  }
}

/** `EarlyStopping`: stops training when a monitored value stops improving (Keras 3 semantics). */
import type * as tf from '@tensorflow/tfjs-core';
import type { Logs } from './callback.js';
import { MonitorCallback, type MonitorMode } from './monitor.js';

/** Options of {@link EarlyStopping} (Keras defaults). */
export interface EarlyStoppingArgs {
  /** Value to watch (default `val_loss`). */
  monitor?: string;
  /** Minimum change that counts as improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  /** 1 prints a message when stopping/restoring (default 0). */
  verbose?: number;
  mode?: MonitorMode;
  /** Training stops unless the value beats this baseline (default none). */
  baseline?: number | null;
  /** Restore the weights of the best epoch at the end (default false). */
  restoreBestWeights?: boolean;
  /** Epochs to wait before starting to monitor (default 0). */
  startFromEpoch?: number;
}

/**
 * Stops `fit` after `patience` epochs without improvement of `monitor`.
 *
 * @example
 * ```ts
 * const stop = new callbacks.EarlyStopping({ monitor: 'val_loss', patience: 5, restoreBestWeights: true });
 * await model.fit(x, y, { epochs: 100, validationSplit: 0.2, callbacks: [stop] });
 * ```
 */
export class EarlyStopping extends MonitorCallback {
  readonly patience: number;
  readonly verbose: number;
  readonly baseline: number | null;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  wait = 0;
  stoppedEpoch = 0;
  best: number | null = null;
  bestEpoch = 0;
  private bestWeights: tf.Tensor[] | null = null;

  constructor(args: EarlyStoppingArgs = {}) {
    super(args.monitor ?? 'val_loss', args.mode ?? 'auto', args.minDelta ?? 0, 'EarlyStopping');
    this.patience = args.patience ?? 0;
    this.verbose = args.verbose ?? 0;
    this.baseline = args.baseline ?? null;
    this.restoreBestWeights = args.restoreBestWeights ?? false;
    this.startFromEpoch = args.startFromEpoch ?? 0;
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = null;
    this.bestEpoch = 0;
    this.dropBestWeights();
  }

  override onEpochEnd(epoch: number, logs?: Logs): void {
    const current = this.monitorValue(logs);
    if (current === null || epoch < this.startFromEpoch) return;
    const model = this.model!;
    if (this.restoreBestWeights && this.bestWeights === null) {
      this.bestWeights = model.getWeights();
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) {
        this.dropBestWeights();
        this.bestWeights = model.getWeights();
      }
      if (this.baseline === null || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      model.stopTraining = true;
    }
  }

  override onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) console.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights !== null) {
      if (this.verbose > 0)
        console.log(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      this.model!.setWeights(this.bestWeights);
    }
    this.dropBestWeights();
  }

  private dropBestWeights(): void {
    if (this.bestWeights !== null) for (const w of this.bestWeights) w.dispose();
    this.bestWeights = null;
  }
}

/** `ReduceLROnPlateau`: multiplies the learning rate by `factor` when a value stops improving. */
import type { Logs } from './callback.js';
import { MonitorCallback, type MonitorMode } from './monitor.js';
import { ConfigurationError } from '../utils/errors.js';

/** Options of {@link ReduceLROnPlateau} (Keras defaults). */
export interface ReduceLROnPlateauArgs {
  /** Value to watch (default `val_loss`). */
  monitor?: string;
  /** New lr = lr * factor (default 0.1; must be < 1). */
  factor?: number;
  /** Epochs without improvement before reducing (default 10). */
  patience?: number;
  verbose?: number;
  mode?: MonitorMode;
  /** Minimum change that counts as improvement (default 1e-4). */
  minDelta?: number;
  /** Epochs to wait after a reduction (default 0). */
  cooldown?: number;
  /** Lower bound of the learning rate (default 0). */
  minLr?: number;
}

/** Reduces the optimizer's learning rate on plateaus; also logs `learning_rate` each epoch. */
export class ReduceLROnPlateau extends MonitorCallback {
  readonly factor: number;
  readonly patience: number;
  readonly verbose: number;
  readonly cooldown: number;
  readonly minLr: number;
  wait = 0;
  cooldownCounter = 0;
  best: number | null = null;

  constructor(args: ReduceLROnPlateauArgs = {}) {
    super(args.monitor ?? 'val_loss', args.mode ?? 'auto', args.minDelta ?? 1e-4, 'ReduceLROnPlateau');
    this.factor = args.factor ?? 0.1;
    if (this.factor >= 1)
      throw new ConfigurationError(`ReduceLROnPlateau does not support a factor >= 1.0, got ${this.factor}`);
    this.patience = args.patience ?? 10;
    this.verbose = args.verbose ?? 0;
    this.cooldown = args.cooldown ?? 0;
    this.minLr = args.minLr ?? 0;
  }

  override onTrainBegin(): void {
    this.best = null;
    this.cooldownCounter = 0;
    this.wait = 0;
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    const optimizer = this.model!.optimizer;
    logs['learning_rate'] = optimizer.learningRate;
    const current = this.monitorValue(logs);
    if (current === null) return;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter <= 0) {
      this.wait += 1;
      if (this.wait >= this.patience) {
        const oldLr = optimizer.learningRate;
        if (oldLr > Math.fround(this.minLr)) {
          const newLr = Math.max(oldLr * this.factor, this.minLr);
          optimizer.learningRate = newLr;
          if (this.verbose > 0)
            console.log(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${newLr}.`);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }
}

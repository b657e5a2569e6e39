/** Small callbacks: `LearningRateScheduler`, `TerminateOnNaN`, `LambdaCallback`. */
import { Callback, type HookResult, type Logs } from './callback.js';
import { ConfigurationError } from '../utils/errors.js';

/** Sets the learning rate at the start of each epoch from `schedule(epoch, currentLr)`. */
export class LearningRateScheduler extends Callback {
  constructor(
    readonly schedule: (epoch: number, learningRate: number) => number,
    readonly verbose = 0,
  ) {
    super();
  }

  override onEpochBegin(epoch: number): void {
    const optimizer = this.model!.optimizer;
    const lr = this.schedule(epoch, optimizer.learningRate);
    if (typeof lr !== 'number' || !Number.isFinite(lr)) {
      throw new ConfigurationError(
        `LearningRateScheduler: schedule must return a finite number, got ${String(lr)} at epoch ${epoch}`,
      );
    }
    optimizer.learningRate = lr;
    if (this.verbose > 0) console.log(`\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.`);
  }

  override onEpochEnd(_epoch: number, logs: Logs = {}): void {
    logs['learning_rate'] = this.model!.optimizer.learningRate;
  }
}

/** Stops training as soon as a batch's loss is NaN or infinite. */
export class TerminateOnNaN extends Callback {
  override onTrainBatchEnd(batch: number, logs: Logs = {}): void {
    const loss = logs['loss'];
    if (loss !== undefined && !Number.isFinite(loss)) {
      console.log(`Batch ${batch}: Invalid loss, terminating training`);
      this.model!.stopTraining = true;
    }
  }
}

/** Hooks of a {@link LambdaCallback}. */
export interface LambdaCallbackHooks {
  onTrainBegin?: (logs: Logs) => HookResult;
  onTrainEnd?: (logs: Logs) => HookResult;
  onEpochBegin?: (epoch: number, logs: Logs) => HookResult;
  onEpochEnd?: (epoch: number, logs: Logs) => HookResult;
  onTrainBatchBegin?: (batch: number, logs: Logs) => HookResult;
  onTrainBatchEnd?: (batch: number, logs: Logs) => HookResult;
}

/** A callback from plain functions (Keras `LambdaCallback`). */
export class LambdaCallback extends Callback {
  constructor(private readonly hooks: LambdaCallbackHooks) {
    super();
  }
  override onTrainBegin(logs: Logs = {}): HookResult {
    return this.hooks.onTrainBegin?.(logs);
  }
  override onTrainEnd(logs: Logs = {}): HookResult {
    return this.hooks.onTrainEnd?.(logs);
  }
  override onEpochBegin(epoch: number, logs: Logs = {}): HookResult {
    return this.hooks.onEpochBegin?.(epoch, logs);
  }
  override onEpochEnd(epoch: number, logs: Logs = {}): HookResult {
    return this.hooks.onEpochEnd?.(epoch, logs);
  }
  override onTrainBatchBegin(batch: number, logs: Logs = {}): HookResult {
    return this.hooks.onTrainBatchBegin?.(batch, logs);
  }
  override onTrainBatchEnd(batch: number, logs: Logs = {}): HookResult {
    return this.hooks.onTrainBatchEnd?.(batch, logs);
  }
}

/** `History`: records the logs of every epoch; `fit` returns it (Keras `keras.callbacks.History`). */
import { Callback, type Logs } from './callback.js';

/** Per-epoch logs of a `fit` call: `history.loss[i]`, `history.val_loss[i]`, … */
export class History extends Callback {
  /** Epoch indices seen (with `initialEpoch` offset). */
  epoch: number[] = [];
  /** Values by log name, one entry per epoch. */
  history: Record<string, number[]> = {};

  override onTrainBegin(): void {
    this.epoch = [];
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) {
      // Own-property test and define: a metric named "__proto__" or "constructor" is just a series.
      if (!Object.hasOwn(this.history, key))
        Object.defineProperty(this.history, key, { value: [], enumerable: true, writable: true, configurable: true });
      this.history[key]!.push(value);
    }
  }
}

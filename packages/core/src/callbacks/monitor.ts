/**
 * Shared logic of callbacks that watch a logged value (Keras `MonitorCallback`): `mode`
 * `auto` picks min for losses and the metric's own direction otherwise.
 */
import { Callback, type Logs } from './callback.js';
import { ConfigurationError } from '../utils/errors.js';

/** Whether a larger or smaller monitored value is better; `auto` infers it. */
export type MonitorMode = 'auto' | 'min' | 'max';

/** Base class of EarlyStopping, ModelCheckpoint and ReduceLROnPlateau. */
export class MonitorCallback extends Callback {
  readonly monitor: string;
  readonly mode: MonitorMode;
  /** Smallest change that counts as an improvement (sign set by the direction). */
  protected minDelta: number;
  private better: ((a: number, b: number) => boolean) | null = null;
  private readonly who: string;

  constructor(monitor: string, mode: MonitorMode, minDelta: number, who: string) {
    super();
    if (!['auto', 'min', 'max'].includes(mode))
      throw new ConfigurationError(`${who}: mode must be one of auto, min, max; got "${mode}"`);
    this.monitor = monitor;
    this.mode = mode;
    this.minDelta = Math.abs(minDelta);
    this.who = who;
  }

  /** Resolves the direction (once the model's metrics are known). */
  protected setMonitorOp(): void {
    if (this.better !== null) return;
    let direction: 'min' | 'max' | null = this.mode === 'auto' ? null : this.mode;
    if (direction === null) {
      const name = this.monitor.replace(/^val_/, '');
      if (name === 'loss' || name.endsWith('_loss')) direction = 'min';
      for (const m of this.model?.metrics ?? []) {
        if (m.name === name) direction = m.direction === 'up' ? 'max' : 'min';
      }
    }
    if (direction === null) {
      throw new ConfigurationError(
        `${this.who} received monitor="${this.monitor}", but cannot tell whether it should be maximized or minimized; ` +
          `pass mode: 'max' or mode: 'min'`,
      );
    }
    const delta = this.minDelta;
    this.better = direction === 'min' ? (a, b) => a + delta < b : (a, b) => a - delta > b;
  }

  /** Whether `value` improves on `reference` by more than `minDelta` (true when there is no reference). */
  protected isImprovement(value: number, reference: number | null): boolean {
    this.setMonitorOp();
    if (reference === null) return true;
    return this.better!(value, reference);
  }

  /** The monitored value, or null with a warning listing the available logs. */
  protected monitorValue(logs: Logs | undefined): number | null {
    const value = logs?.[this.monitor];
    if (value === undefined) {
      console.warn(
        `${this.who} is conditioned on metric "${this.monitor}" which is not available. Available metrics are: ${Object.keys(logs ?? {}).join(',')}`,
      );
      return null;
    }
    return value;
  }
}

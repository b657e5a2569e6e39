/**
 * `ProgbarLogger`: prints `Epoch 3/15` and a Keras-style progress bar during `fit`,
 * `evaluate` and `predict` (`verbose` 1: bar, 2: one line per epoch).
 */
import { Callback, type CallbackParams, type Logs } from './callback.js';
import { Progbar, stdoutOutput, type ProgressOutput } from './progbar.js';

/** Options of {@link ProgbarLogger}. */
export interface ProgbarLoggerOptions {
  /** Where to write (default `process.stdout`, TTY detection from it). */
  output?: ProgressOutput;
  /** Clock in seconds (for tests). */
  now?: () => number;
}

/** Prints progress like Keras 3. The trainer adds one when `verbose` is not 0. */
export class ProgbarLogger extends Callback {
  private readonly output: ProgressOutput;
  private readonly now: (() => number) | undefined;
  private progbar: Progbar | null = null;
  private target: number | null = null;
  private epochs = 1;
  private verbose = 1;
  private seen = 0;
  private inFit = false;

  constructor(options: ProgbarLoggerOptions = {}) {
    super();
    this.output = options.output ?? stdoutOutput();
    this.now = options.now;
  }

  override setParams(params: CallbackParams): void {
    super.setParams(params);
    this.verbose = params.verbose;
    this.epochs = params.epochs;
    this.target = params.steps;
  }

  override onTrainBegin(): void {
    this.inFit = true;
  }
  override onTrainEnd(): void {
    this.inFit = false;
  }

  override onEpochBegin(epoch: number): void {
    this.reset();
    if (this.verbose !== 0 && this.epochs > 1) this.output.write(`Epoch ${epoch + 1}/${this.epochs}\n`);
  }

  override onTrainBatchEnd(batch: number, logs?: Logs): void {
    this.updateBar(batch, logs);
  }

  override onTestBegin(): void {
    if (!this.inFit) this.reset();
  }
  override onTestBatchEnd(batch: number, logs?: Logs): void {
    if (!this.inFit) this.updateBar(batch, logs);
  }
  override onTestEnd(logs?: Logs): void {
    if (!this.inFit) this.finalize(logs ?? {});
  }

  override onPredictBegin(): void {
    this.reset();
  }
  override onPredictBatchEnd(batch: number): void {
    this.updateBar(batch, undefined);
  }
  override onPredictEnd(): void {
    this.finalize({});
  }

  override onEpochEnd(_epoch: number, logs?: Logs): void {
    this.finalize(logs ?? {});
  }

  /** Sets the step count for `evaluate`/`predict`, which run with their own params. */
  setTarget(steps: number | null): void {
    this.target = steps;
  }

  /** Starts a new bar now, so its clock covers the first step too (as Keras's `_maybe_init_progbar`). */
  private reset(): void {
    this.seen = 0;
    this.progbar = null;
    this.bar();
  }

  private bar(): Progbar | null {
    if (this.verbose === 0) return null;
    this.progbar ??= new Progbar(this.target, {
      verbose: this.verbose === 2 ? 2 : 1,
      output: this.output,
      now: this.now,
    });
    return this.progbar;
  }

  private updateBar(batch: number, logs: Logs | undefined): void {
    const bar = this.bar();
    this.seen = batch + 1;
    if (bar !== null && this.verbose === 1) bar.update(this.seen, Object.entries(logs ?? {}), false);
  }

  private finalize(logs: Logs): void {
    const bar = this.bar();
    if (bar === null) return;
    // A generator's first epoch has no known length; the count seen becomes the target of the
    // next epochs' bars (Keras's `_finalize_progbar`).
    if (this.target === null) {
      this.target = this.seen;
      bar.target = this.seen;
    }
    bar.update(this.target, Object.entries(logs), true);
    this.progbar = null;
  }
}

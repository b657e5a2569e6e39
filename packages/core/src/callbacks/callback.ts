/**
 * `Callback` (Keras `keras.callbacks.Callback`): hooks called by `fit`, `evaluate` and
 * `predict` with Keras's logs (`{loss, accuracy, val_loss, …}` as plain numbers).
 * Hooks may return a promise; `fit` and `evaluate` await it.
 */
import type { Model } from '../engine/model.js';

/** Metric values by name, as Keras's `logs` dict. */
export type Logs = Record<string, number>;

/** What `fit`/`evaluate`/`predict` tell callbacks (Keras `params`). */
export interface CallbackParams {
  verbose: number;
  epochs: number;
  steps: number | null;
  [key: string]: unknown;
}

/** Gradient norm of one layer at one training step (see `GradientMonitor`). */
export interface LayerGradientNorm {
  /** Layer name. */
  layer: string;
  /** Layer class name. */
  className: string;
  /** L2 norm over all of the layer's trainable-weight gradients. */
  norm: number;
}

/** Result of a hook: nothing, or a promise the trainer awaits. */
export type HookResult = void | Promise<void>;

/** Base class of callbacks; override the hooks you need. */
export class Callback {
  /** The model being trained (set by the trainer). */
  model: Model | null = null;
  /** Training parameters (set by the trainer). */
  params: CallbackParams = { verbose: 0, epochs: 1, steps: null };
  /**
   * Set to true by callbacks that want per-layer gradient norms: the trainer then computes them
   * from the step's own gradients and calls `onTrainBatchGradients` (no second gradient pass).
   */
  readonly wantsGradients: boolean = false;

  setModel(model: Model): void {
    this.model = model;
  }
  setParams(params: CallbackParams): void {
    this.params = params;
  }
  onTrainBegin(_logs?: Logs): HookResult {}
  onTrainEnd(_logs?: Logs): HookResult {}
  onEpochBegin(_epoch: number, _logs?: Logs): HookResult {}
  onEpochEnd(_epoch: number, _logs?: Logs): HookResult {}
  onTrainBatchBegin(_batch: number, _logs?: Logs): HookResult {}
  onTrainBatchEnd(_batch: number, _logs?: Logs): HookResult {}
  /** Per-layer gradient norms of a training step; only called when `wantsGradients` is true. */
  onTrainBatchGradients(_batch: number, _norms: LayerGradientNorm[]): HookResult {}
  onTestBegin(_logs?: Logs): HookResult {}
  onTestEnd(_logs?: Logs): HookResult {}
  onTestBatchBegin(_batch: number, _logs?: Logs): HookResult {}
  onTestBatchEnd(_batch: number, _logs?: Logs): HookResult {}
  /** `predict` is synchronous: predict hooks are called but not awaited. */
  onPredictBegin(_logs?: Logs): HookResult {}
  onPredictEnd(_logs?: Logs): HookResult {}
  onPredictBatchBegin(_batch: number, _logs?: Logs): HookResult {}
  onPredictBatchEnd(_batch: number, _logs?: Logs): HookResult {}
}

type HookName = {
  [K in keyof Callback]: Callback[K] extends (...args: never[]) => HookResult ? K : never;
}[keyof Callback];

/** Calls a hook on every callback in order, awaiting each. */
export class CallbackList {
  constructor(readonly callbacks: Callback[]) {}

  /** Whether any callback asked for gradient norms. */
  get wantsGradients(): boolean {
    return this.callbacks.some((c) => c.wantsGradients);
  }

  setModel(model: Model): void {
    for (const c of this.callbacks) c.setModel(model);
  }

  setParams(params: CallbackParams): void {
    for (const c of this.callbacks) c.setParams(params);
  }

  async call<K extends Exclude<HookName, 'setModel' | 'setParams'>>(
    hook: K,
    ...args: Parameters<Callback[K]>
  ): Promise<void> {
    for (const c of this.callbacks) {
      const fn = c[hook] as (...a: Parameters<Callback[K]>) => HookResult;
      const result = fn.apply(c, args);
      if (result instanceof Promise) await result;
    }
  }

  /** Synchronous variant for `predict` (promises are not awaited). */
  callSync<K extends Exclude<HookName, 'setModel' | 'setParams'>>(hook: K, ...args: Parameters<Callback[K]>): void {
    for (const c of this.callbacks) {
      const fn = c[hook] as (...a: Parameters<Callback[K]>) => HookResult;
      void fn.apply(c, args);
    }
  }
}

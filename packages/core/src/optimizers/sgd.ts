/** Stochastic gradient descent with optional (Nesterov) momentum, as Keras 3 `SGD`. */
import * as tf from '@tensorflow/tfjs-core';
import { Optimizer, type OptimizerArgs } from './optimizer.js';
import { ConfigurationError } from '../utils/errors.js';
import { SGD_UPDATE, applyFusedUpdate } from '../backend/fused/optimizer-updates.js';

/** Options of {@link SGD}. */
export interface SGDArgs extends OptimizerArgs {
  /** Momentum in [0, 1] (default 0). */
  momentum?: number;
  /** Nesterov momentum (default false). */
  nesterov?: boolean;
}

/**
 * `m = momentum*m - lr*g; w += m` (Nesterov: `w += momentum*m - lr*g`); plain `w -= lr*g`
 * without momentum. Keras defaults: learningRate 0.01, momentum 0, nesterov false.
 */
export class SGD extends Optimizer {
  readonly className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;
  constructor(args: SGDArgs = {}) {
    super(args, 0.01, 'SGD');
    this.momentum = args.momentum ?? 0;
    if (!(this.momentum >= 0 && this.momentum <= 1))
      throw new ConfigurationError(`SGD: momentum must be in [0, 1], got ${this.momentum}`);
    this.nesterov = args.nesterov ?? false;
  }
  protected slotInitialValues(): number[] {
    return this.momentum !== 0 ? [0] : [];
  }
  protected updateStep(g: tf.Tensor, w: tf.Variable, slots: tf.Variable[], lr: number): void {
    const m = slots[0];
    const attrs = { learningRate: lr, momentum: this.momentum, nesterov: this.nesterov };
    if (applyFusedUpdate(SGD_UPDATE, w, g, m === undefined ? {} : { momentum: m }, attrs)) return;
    if (m === undefined) {
      w.assign(tf.sub(w, tf.mul(g, lr)));
      return;
    }
    m.assign(tf.sub(tf.mul(m, this.momentum), tf.mul(g, lr)));
    if (this.nesterov) w.assign(tf.add(w, tf.sub(tf.mul(m, this.momentum), tf.mul(g, lr))));
    else w.assign(tf.add(w, m));
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}

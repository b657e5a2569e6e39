/** RMSprop, as Keras 3 `RMSprop` (epsilon inside the square root). */
import * as tf from '@tensorflow/tfjs-core';
import { Optimizer, type OptimizerArgs } from './optimizer.js';
import { RMSPROP_UPDATE, applyFusedUpdate } from '../backend/fused/optimizer-updates.js';

/** Options of {@link RMSprop}. */
export interface RMSpropArgs extends OptimizerArgs {
  /** Decay of the squared-gradient average (default 0.9). */
  rho?: number;
  /** Momentum (default 0). */
  momentum?: number;
  /** Added inside the square root (default 1e-7). */
  epsilon?: number;
  /** Normalize by the centered second moment (default false). */
  centered?: boolean;
}

/**
 * `v = rho*v + (1-rho)*g²`; (centered: `a = rho*a + (1-rho)*g`, denominator `v - a² + eps`, else
 * `v + eps`); `inc = lr*g/sqrt(denominator)`; with momentum `m = momentum*m + inc; w -= m`, else
 * `w -= inc`. Keras defaults: learningRate 0.001, rho 0.9, momentum 0, epsilon 1e-7.
 */
export class RMSprop extends Optimizer {
  readonly className = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;
  constructor(args: RMSpropArgs = {}) {
    super(args, 0.001, 'RMSprop');
    this.rho = args.rho ?? 0.9;
    this.momentum = args.momentum ?? 0;
    this.epsilon = args.epsilon ?? 1e-7;
    this.centered = args.centered ?? false;
  }
  /** Slots: velocity, then momentum (if momentum > 0), then average gradient (if centered). */
  protected slotInitialValues(): number[] {
    return [0, ...(this.momentum > 0 ? [0] : []), ...(this.centered ? [0] : [])];
  }
  protected updateStep(g: tf.Tensor, w: tf.Variable, slots: tf.Variable[], lr: number): void {
    const velocity = slots[0]!;
    const momentum = this.momentum > 0 ? slots[1]! : null;
    const averageGrad = this.centered ? slots[slots.length - 1]! : null;
    const slotMap: Record<string, tf.Variable> = { velocity };
    if (momentum !== null) slotMap['momentum'] = momentum;
    if (averageGrad !== null) slotMap['averageGrad'] = averageGrad;
    const attrs = { learningRate: lr, rho: this.rho, momentum: this.momentum, epsilon: this.epsilon };
    if (applyFusedUpdate(RMSPROP_UPDATE, w, g, slotMap, attrs)) return;
    velocity.assign(tf.add(tf.mul(this.rho, velocity), tf.mul(1 - this.rho, tf.square(g))));
    let denominator: tf.Tensor;
    if (averageGrad !== null) {
      averageGrad.assign(tf.add(tf.mul(this.rho, averageGrad), tf.mul(1 - this.rho, g)));
      denominator = tf.add(tf.sub(velocity, tf.square(averageGrad)), this.epsilon);
    } else {
      denominator = tf.add(velocity, this.epsilon);
    }
    const increment = tf.div(tf.mul(lr, g), tf.sqrt(denominator));
    if (momentum !== null) {
      momentum.assign(tf.add(tf.mul(this.momentum, momentum), increment));
      w.assign(tf.sub(w, momentum));
    } else {
      w.assign(tf.sub(w, increment));
    }
  }
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      rho: this.rho,
      momentum: this.momentum,
      epsilon: this.epsilon,
      centered: this.centered,
    };
  }
}

/** Adam, as Keras 3 `Adam` (bias correction folded into the step size). */
import * as tf from '@tensorflow/tfjs-core';
import { Optimizer, type OptimizerArgs } from './optimizer.js';
import { ADAM_UPDATE, applyFusedUpdate } from '../backend/fused/optimizer-updates.js';

/** Options of {@link Adam}. */
export interface AdamArgs extends OptimizerArgs {
  /** Decay of the first moment (default 0.9). */
  beta1?: number;
  /** Decay of the second moment (default 0.999). */
  beta2?: number;
  /** Added to the denominator (default 1e-7). */
  epsilon?: number;
  /** Use the maximum of past second moments (default false). */
  amsgrad?: boolean;
}

/**
 * At step t: `alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t)`, `m += (g - m)(1 - beta1)`,
 * `v += (g² - v)(1 - beta2)`, `w -= alpha * m / (sqrt(v) + epsilon)`. Keras defaults:
 * learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7.
 */
export class Adam extends Optimizer {
  readonly className: string = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;
  constructor(args: AdamArgs = {}, className = 'Adam') {
    super(args, 0.001, className);
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? 1e-7;
    this.amsgrad = args.amsgrad ?? false;
  }
  protected slotInitialValues(): number[] {
    return this.amsgrad ? [0, 0, 0] : [0, 0];
  }
  protected updateStep(g: tf.Tensor, w: tf.Variable, slots: tf.Variable[], lr: number): void {
    const [m, v, vHat] = slots as [tf.Variable, tf.Variable, tf.Variable | undefined];
    const t = this.iterations + 1;
    const alpha = (lr * Math.sqrt(1 - Math.pow(this.beta2, t))) / (1 - Math.pow(this.beta1, t));
    const slotMap: Record<string, tf.Variable> = vHat === undefined ? { m, v } : { m, v, vHat };
    const attrs = { alpha, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
    if (applyFusedUpdate(ADAM_UPDATE, w, g, slotMap, attrs)) return;
    m.assign(tf.add(m, tf.mul(tf.sub(g, m), 1 - this.beta1)));
    v.assign(tf.add(v, tf.mul(tf.sub(tf.square(g), v), 1 - this.beta2)));
    let second: tf.Tensor = v;
    if (vHat !== undefined) {
      vHat.assign(tf.maximum(vHat, v));
      second = vHat;
    }
    w.assign(tf.sub(w, tf.div(tf.mul(m, alpha), tf.add(tf.sqrt(second), this.epsilon))));
  }
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      beta_1: this.beta1,
      beta_2: this.beta2,
      epsilon: this.epsilon,
      amsgrad: this.amsgrad,
    };
  }
}

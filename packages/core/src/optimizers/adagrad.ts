/** Adagrad, as Keras 3 `Adagrad`. */
import * as tf from '@tensorflow/tfjs-core';
import { Optimizer, type OptimizerArgs } from './optimizer.js';
import { ADAGRAD_UPDATE, applyFusedUpdate } from '../backend/fused/optimizer-updates.js';

/** Options of {@link Adagrad}. */
export interface AdagradArgs extends OptimizerArgs {
  /** Starting value of the accumulators (default 0.1). */
  initialAccumulatorValue?: number;
  /** Added inside the square root (default 1e-7). */
  epsilon?: number;
}

/**
 * `acc += g²; w -= lr*g/sqrt(acc + eps)`. Keras defaults: learningRate 0.001,
 * initialAccumulatorValue 0.1, epsilon 1e-7.
 */
export class Adagrad extends Optimizer {
  readonly className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;
  constructor(args: AdagradArgs = {}) {
    super(args, 0.001, 'Adagrad');
    this.initialAccumulatorValue = args.initialAccumulatorValue ?? 0.1;
    this.epsilon = args.epsilon ?? 1e-7;
  }
  protected slotInitialValues(): number[] {
    return [this.initialAccumulatorValue];
  }
  protected updateStep(g: tf.Tensor, w: tf.Variable, slots: tf.Variable[], lr: number): void {
    const acc = slots[0]!;
    const attrs = { learningRate: lr, epsilon: this.epsilon };
    if (applyFusedUpdate(ADAGRAD_UPDATE, w, g, { accumulator: acc }, attrs)) return;
    acc.assign(tf.add(acc, tf.square(g)));
    w.assign(tf.sub(w, tf.div(tf.mul(lr, g), tf.sqrt(tf.add(acc, this.epsilon)))));
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), initial_accumulator_value: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}

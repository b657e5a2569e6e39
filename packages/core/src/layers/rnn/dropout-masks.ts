/**
 * Variational dropout masks of a recurrent cell, as Keras 3's `DropoutRNNCell`: sampled
 * once per RNN call from the first step's shape, reused at every time step, and
 * forgotten when the call ends so the next call draws new ones.
 */
import * as tf from '@tensorflow/tfjs-core';
import { SeedGenerator } from '../../engine/seed-generator.js';
import { dropoutNoise } from '../regularization/dropout-noise.js';

/** Keras clamps recurrent dropout rates into [0, 1] rather than rejecting them. */
export function clampRate(rate: number | undefined): number {
  return Math.min(1, Math.max(0, rate ?? 0));
}

/** The cached masks of one cell. */
export class RecurrentDropoutMasks {
  private inputMasks: tf.Tensor[] | null = null;
  private recurrentMasks: tf.Tensor[] | null = null;
  /** Draws a new seed for every mask. */
  readonly seedGenerator: SeedGenerator;

  constructor(
    /** Input dropout rate, clamped to [0, 1]. */
    readonly dropout: number,
    /** Recurrent dropout rate, clamped to [0, 1]. */
    readonly recurrentDropout: number,
    seed: number | null,
  ) {
    this.seedGenerator = new SeedGenerator(seed);
  }

  /** `count` independent input masks of a step input's shape `(batch, features)` (created on first use in a call). */
  input(stepShape: readonly number[], count: number): tf.Tensor[] {
    this.inputMasks ??= this.create(stepShape, this.dropout, count);
    return this.inputMasks;
  }

  /** `count` independent masks of the state's shape `(batch, units)` (created on first use in a call). */
  recurrent(stateShape: readonly number[], count: number): tf.Tensor[] {
    this.recurrentMasks ??= this.create(stateShape, this.recurrentDropout, count);
    return this.recurrentMasks;
  }

  /** Forgets the masks; the RNN layer calls this when its call ends. */
  reset(): void {
    this.inputMasks = null;
    this.recurrentMasks = null;
  }

  private create(shape: readonly number[], rate: number, count: number): tf.Tensor[] {
    const ones = tf.ones([...shape]);
    return Array.from({ length: count }, () => dropoutNoise(ones, rate, [...shape], this.seedGenerator.next()));
  }
}

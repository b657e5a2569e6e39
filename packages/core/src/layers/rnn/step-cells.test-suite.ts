/**
 * Per-step reference cells for the tests of the whole-sequence paths: a subclass that overrides
 * `step` keeps the per-step loop (the built-in cells' `prepareSequence` returns null for it), so
 * it runs side by side with the built-in cell on the same weights and seeds.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { GRUCell } from './gru-cell.js';
import { LSTMCell } from './lstm-cell.js';
import type { StepResult } from './rnn-cell.js';
import { SimpleRNNCell } from './simple-rnn-cell.js';

/** `LSTMCell` that runs one `step` per time step. */
export class StepLSTMCell extends LSTMCell {
  override step(input: tf.Tensor, states: tf.Tensor[], training: boolean): StepResult {
    return super.step(input, states, training);
  }
}

/** `GRUCell` that runs one `step` per time step. */
export class StepGRUCell extends GRUCell {
  override step(input: tf.Tensor, states: tf.Tensor[], training: boolean): StepResult {
    return super.step(input, states, training);
  }
}

/** `SimpleRNNCell` that runs one `step` per time step. */
export class StepSimpleRNNCell extends SimpleRNNCell {
  override step(input: tf.Tensor, states: tf.Tensor[], training: boolean): StepResult {
    return super.step(input, states, training);
  }
}

/**
 * The plan and the {@link SequenceRun} of a whole-sequence kernel call, shaped as `RNN` expects them
 * (shared by the LSTM, GRU and SimpleRNN cells).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { SequencePlan, SequenceRun } from './rnn-cell.js';

/**
 * From a kernel's time-major `outputs` `[T, B, H]` (processing order), its final `h` and its final
 * `states`: `last` is `h` without a time mask; with one it is the last output, which may be a
 * repeated or a zero output.
 */
export function sequenceRunResult(outputs: tf.Tensor, h: tf.Tensor, states: tf.Tensor[], masked: boolean): SequenceRun {
  const [time, batch, units] = outputs.shape as [number, number, number];
  const last = masked ? tf.reshape(tf.slice(outputs, [time - 1, 0, 0], [1, batch, units]), [batch, units]) : h;
  return { sequence: () => tf.transpose(outputs, [1, 0, 2]), last, states };
}

/**
 * A plan that runs the whole sequence with `run` (as `RNN` does); a caller stepping through the plan
 * gets the steps of the per-step plan, made on first use.
 */
export function kernelPlan(perStep: () => SequencePlan, run: NonNullable<SequencePlan['run']>): SequencePlan {
  let plan: SequencePlan | null = null;
  return { step: (t, states) => (plan ??= perStep()).step(t, states), run };
}

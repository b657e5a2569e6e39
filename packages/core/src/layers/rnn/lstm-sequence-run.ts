/**
 * The LSTM's whole-sequence run through the fused sequence kernel (backend/fused/lstm-sequence.ts),
 * shaped as `RNN` expects a {@link SequenceRun}.
 */
import * as tf from '@tensorflow/tfjs-core';
import { lstmSequence } from '../../backend/fused/lstm-sequence.js';
import type { SequenceRun, SequenceRunOptions } from './rnn-cell.js';

/**
 * Runs the LSTM over the time-major input projection `xProj` (`[T, B, 4H]`, or per gate `[T, B, H]`;
 * without the bias) from `states` `[h, c]`;
 * `recurrentMasks` are the call's four per-gate recurrent dropout masks, or null.
 */
export function runLSTMSequence(
  xProj: tf.Tensor | tf.Tensor[],
  bias: tf.Tensor | null,
  recurrentKernel: tf.Tensor,
  states: tf.Tensor[],
  options: SequenceRunOptions & { recurrentMasks: tf.Tensor[] | null },
): SequenceRun {
  const [h0] = states as [tf.Tensor];
  const [time, batch] = (Array.isArray(xProj) ? xProj[0]! : xProj).shape as [number, number];
  const units = h0.shape[1]!;
  const { outputs, h, c } = lstmSequence({
    xProj,
    bias,
    recurrentKernel,
    h0: states[0]!,
    c0: states[1]!,
    recurrentMasks: options.recurrentMasks,
    mask: options.mask,
    goBackwards: options.goBackwards,
    zeroOutputForMask: options.zeroOutputForMask,
  });
  // Unmasked, the last output is the final h; masked, it may be a repeated or zero output.
  const last =
    options.mask === null ? h : tf.reshape(tf.slice(outputs, [time - 1, 0, 0], [1, batch, units]), [batch, units]);
  return { sequence: () => tf.transpose(outputs, [1, 0, 2]), last, states: [h, c] };
}

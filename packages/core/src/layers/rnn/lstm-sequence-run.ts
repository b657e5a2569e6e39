/**
 * The LSTM's whole-sequence run through the fused sequence kernel (backend/fused/lstm-sequence.ts),
 * shaped as `RNN` expects a {@link SequenceRun}.
 */
import * as tf from '@tensorflow/tfjs-core';
import { lstmSequence } from '../../backend/fused/lstm-sequence.js';
import type { SequenceRun, SequenceRunOptions } from './rnn-cell.js';

/**
 * Runs the LSTM over the time-major input projection `xProj` `[T, B, 4H]` from `states` `[h, c]`;
 * `recurrentMasks` are the call's four per-gate recurrent dropout masks, or null.
 */
export function runLSTMSequence(
  xProj: tf.Tensor,
  recurrentKernel: tf.Tensor,
  states: tf.Tensor[],
  options: SequenceRunOptions & { recurrentMasks: tf.Tensor[] | null },
): SequenceRun {
  const [time, batch, width] = xProj.shape as [number, number, number];
  const { outputs, h, c } = lstmSequence({
    xProj,
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
    options.mask === null
      ? h
      : tf.reshape(tf.slice(outputs, [time - 1, 0, 0], [1, batch, width / 4]), [batch, width / 4]);
  return { sequence: () => tf.transpose(outputs, [1, 0, 2]), last, states: [h, c] };
}

/**
 * The LSTM's whole-sequence run through the fused sequence kernel (backend/fused/lstm-sequence.ts),
 * shaped as `RNN` expects a {@link SequenceRun}.
 */
import * as tf from '@tensorflow/tfjs-core';
import { lstmSequence } from '../../backend/fused/lstm-sequence.js';
import type { SequenceRun, SequenceRunOptions } from './rnn-cell.js';
import { sequenceRunResult } from './sequence-run-result.js';

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
  return sequenceRunResult(outputs, h, [h, c], options.mask !== null);
}

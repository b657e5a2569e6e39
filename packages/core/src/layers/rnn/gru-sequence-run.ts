/**
 * The GRU's whole-sequence run through the fused sequence kernel (backend/fused/gru-sequence.ts),
 * shaped as `RNN` expects a {@link SequenceRun}.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { gruSequence } from '../../backend/fused/gru-sequence.js';
import type { SequenceRun, SequenceRunOptions } from './rnn-cell.js';
import { sequenceRunResult } from './sequence-run-result.js';

/** The GRU's weights as the kernel takes them. */
export interface GRUSequenceWeights {
  /** `[3H]` input bias, or null. */
  inputBias: tf.Tensor | null;
  /** `[3H]` recurrent bias (reset_after), or null. */
  recurrentBias: tf.Tensor | null;
  recurrentKernel: tf.Tensor;
  resetAfter: boolean;
}

/**
 * Runs the GRU over the time-major input projection `xProj` (`[T, B, 3H]`, or per gate `[T, B, H]`;
 * without the bias) from `states` `[h]`; `recurrentMasks` are the call's three per-gate recurrent
 * dropout masks, or null.
 */
export function runGRUSequence(
  xProj: tf.Tensor | tf.Tensor[],
  weights: GRUSequenceWeights,
  states: tf.Tensor[],
  options: SequenceRunOptions & { recurrentMasks: tf.Tensor[] | null },
): SequenceRun {
  const { outputs, h } = gruSequence({
    xProj,
    ...weights,
    h0: states[0]!,
    recurrentMasks: options.recurrentMasks,
    mask: options.mask,
    goBackwards: options.goBackwards,
    zeroOutputForMask: options.zeroOutputForMask,
  });
  return sequenceRunResult(outputs, h, [h], options.mask !== null);
}

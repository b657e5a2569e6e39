/**
 * The base class of recurrent cells: one time step of a recurrent layer.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import { Layer, type CallContext } from '../../engine/layer.js';
import type { TensorOrList } from '../../engine/shape-utils.js';
import type { RecurrentDropoutMasks } from './dropout-masks.js';
import { ConfigurationError } from '../../utils/errors.js';

/** One step's result: the output and the new states. */
export interface StepResult {
  output: tf.Tensor;
  states: tf.Tensor[];
}

/**
 * A cell's plan for one whole sequence: everything that does not depend on the states (the input
 * projection of every step, the dropout masks, re-laid-out kernels) is computed once, before the
 * time loop, so each step runs only the recurrent part. The results equal `step`'s.
 */
export interface SequencePlan {
  /** Step `t` (an index into the input's time axis) from the previous states. */
  step(t: number, states: tf.Tensor[]): StepResult;
  /**
   * The whole time loop at once (a fused kernel), when the plan has one: the same results as
   * running `step` at every time step the way `RNN` does (masking, direction, outputs).
   */
  run?(states: tf.Tensor[], options: SequenceRunOptions): SequenceRun;
}

/** How `RNN` runs a sequence: what {@link SequencePlan.run} must reproduce. */
export interface SequenceRunOptions {
  /** `(batch, time)` mask (false / 0 skips the step: states carried, output repeated), or null. */
  mask: tf.Tensor | null;
  /** Process the time steps in reverse (outputs stay in processing order). */
  goBackwards: boolean;
  /** Masked steps output zeros instead of the previous output. */
  zeroOutputForMask: boolean;
}

/** The results of a sequence run. */
export interface SequenceRun {
  /** The `(batch, time, outputSize)` outputs in processing order (made on demand). */
  sequence(): tf.Tensor;
  /** The last step's output. */
  last: tf.Tensor;
  /** The final states. */
  states: tf.Tensor[];
}

/**
 * A recurrent cell (Keras `SimpleRNNCell`, `LSTMCell`, `GRUCell`, or a custom one):
 * `step(input, states)` maps a `(batch, features)` input and the states to an output and new states.
 * `call([input, ...states])` does the same through the Layer interface.
 */
export abstract class RNNCell extends Layer {
  /** Size of each state (e.g. `[units, units]` for an LSTM: h and c). */
  abstract get stateSize(): number[];
  /** Size of the output. */
  abstract get outputSize(): number;
  /** Variational dropout masks, for cells that support `dropout`/`recurrentDropout`. */
  readonly dropoutMasks: RecurrentDropoutMasks | null = null;

  /** One time step. */
  abstract step(input: tf.Tensor, states: tf.Tensor[], training: boolean): StepResult;

  /**
   * A faster plan for a whole `(batch, time, features)` sequence, or null to run `step` at every
   * time step (the default, and what custom cells get).
   */
  prepareSequence(_sequence: tf.Tensor, _training: boolean): SequencePlan | null {
    return null;
  }

  call(inputs: TensorOrList, context: CallContext): tf.Tensor[] {
    const [input, ...states] = Array.isArray(inputs) ? inputs : [inputs];
    if (input === undefined) throw new ConfigurationError(`Cell "${this.name}" called without input`);
    const result = this.step(input, states, context.training === true);
    return [result.output, ...result.states];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape[] {
    const first = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const batch = first[0] ?? null;
    return [[batch, this.outputSize], ...this.stateSize.map((s) => [batch, s])];
  }

  /** Forgets cached dropout masks (called by the RNN layer at the end of each call). */
  resetDropoutMasks(): void {
    this.dropoutMasks?.reset();
  }
}

/**
 * `RNN(cell)`, as Keras 3: runs a cell over the time axis. Dropout masks are sampled once per
 * call, reused at every step and dropped at the end of the call; masked steps keep the previous
 * output and states.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { formatShape, singleInput, type LayerOutput, type TensorOrList } from '../../engine/shape-utils.js';
import { deserializeLayer, serializeLayer } from './cell-serialization.js';
import { RNNCell, type SequenceRun, type StepResult } from './rnn-cell.js';
import { StackedRNNCells } from './stacked-rnn-cells.js';
import { ConfigurationError, InputShapeError } from '../../utils/errors.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link RNN} and the recurrent layers (Keras defaults in brackets). */
export interface RNNArgs extends LayerArgs {
  /** Return the whole output sequence instead of the last output [false]. */
  returnSequences?: boolean;
  /** Also return the final states [false]. */
  returnState?: boolean;
  /** Process the sequence backwards (outputs stay in processing order) [false]. */
  goBackwards?: boolean;
  /** Carry the final states of a batch into the next batch [false]. */
  stateful?: boolean;
  /** Kept for config compatibility; the loop is always unrolled in eager TF.js [false]. */
  unroll?: boolean;
  /** Masked steps output zeros instead of the previous output [false]. */
  zeroOutputForMask?: boolean;
}

/** Runs a recurrent cell (or a list of cells, stacked) over a `(batch, time, features)` input. */
export class RNN extends Layer {
  static override readonly className: string = 'RNN';
  static override readonly optionKeys: readonly string[] = [
    'cell',
    'returnSequences',
    'returnState',
    'goBackwards',
    'stateful',
    'unroll',
    'zeroOutputForMask',
  ];
  readonly cell: RNNCell;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly stateful: boolean;
  readonly unroll: boolean;
  /** Set by `Bidirectional`, as Keras forces it for both directions. */
  zeroOutputForMask: boolean;
  /** States carried between calls when `stateful`. */
  private carriedStates: tf.Tensor[] | null = null;

  constructor(cell: RNNCell | RNNCell[], args?: RNNArgs);
  constructor(args: RNNArgs & { cell: RNNCell | RNNCell[] });
  constructor(...params: unknown[]) {
    const { cell, ...args } = layerArgs<RNNArgs & { cell: RNNCell | RNNCell[] }>(new.target, params, ['cell']);
    super(args);
    const resolved = Array.isArray(cell) ? new StackedRNNCells(cell) : cell;
    if (!(resolved instanceof RNNCell)) {
      throw new ConfigurationError(
        `Layer "${this.name}" (RNN): cell must be an RNNCell (with stateSize and step), got ${String(cell)}`,
      );
    }
    this.cell = this.trackLayer(resolved);
    this.returnSequences = args.returnSequences ?? false;
    this.returnState = args.returnState ?? false;
    this.goBackwards = args.goBackwards ?? false;
    this.stateful = args.stateful ?? false;
    this.unroll = args.unroll ?? false;
    this.zeroOutputForMask = args.zeroOutputForMask ?? false;
    this.inputSpec = { minNdim: 3 };
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    if (shape.length !== 3) {
      throw new InputShapeError(
        `Layer "${this.name}" (${this.className}): expected input of shape (batch, time, features), got ${formatShape(shape)}`,
      );
    }
    this.cell.maybeBuild([shape[0] ?? null, shape[2] ?? null]);
  }

  call(inputs: TensorOrList, context: CallContext): LayerOutput {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const x = singleInput(list.slice(0, 1), this.name);
    const givenStates = context.initialState ?? (list.length > 1 ? list.slice(1) : undefined);
    const training = context.training === true;
    const mask = Array.isArray(context.mask) ? (context.mask[0] ?? null) : (context.mask ?? null);
    try {
      return tf.tidy(() => {
        const result = this.loop(x, givenStates, mask, training);
        if (this.stateful) this.carry(result.states);
        const output = this.returnSequences ? result.sequence() : result.last;
        return this.returnState ? [output, ...result.states] : output;
      });
    } finally {
      this.cell.resetDropoutMasks();
    }
  }

  private initialStates(batch: number, given: tf.Tensor[] | undefined): tf.Tensor[] {
    const sizes = this.cell.stateSize;
    if (given !== undefined && given.length > 0) {
      if (given.length !== sizes.length) {
        throw new ConfigurationError(
          `Layer "${this.name}" (${this.className}): expected ${sizes.length} initial state(s), got ${given.length}`,
        );
      }
      given.forEach((s, i) => {
        if (s.shape[1] !== sizes[i]) {
          throw new InputShapeError(
            `Layer "${this.name}" (${this.className}): initial state ${i} must have shape (${batch}, ${sizes[i]}), got ${formatShape(s.shape)}`,
          );
        }
      });
      return given;
    }
    if (this.stateful && this.carriedStates !== null) return this.carriedStates;
    return sizes.map((size) => tf.zeros([batch, size]));
  }

  private loop(x: tf.Tensor, given: tf.Tensor[] | undefined, mask: tf.Tensor | null, training: boolean): SequenceRun {
    const [batch, time] = x.shape as [number, number];
    if (time === 0) throw new InputShapeError(`Layer "${this.name}" (${this.className}): the input has no time steps`);
    let states = this.initialStates(batch, given);
    // The cell's whole-sequence plan when it has one (the built-in cells), else one `step` per time step.
    const plan = this.cell.prepareSequence(x, training);
    if (plan?.run !== undefined) {
      return plan.run(states, { mask, goBackwards: this.goBackwards, zeroOutputForMask: this.zeroOutputForMask });
    }
    const steps = plan === null ? tf.unstack(x, 1) : null;
    const runStep = (t: number, current: tf.Tensor[]): StepResult =>
      plan === null ? this.cell.step(steps![t]!, current, training) : plan.step(t, current);
    const maskSteps = mask === null ? null : tf.unstack(tf.cast(mask, 'bool'), 1).map((m) => tf.expandDims(m, 1));
    const order = Array.from({ length: time }, (_, t) => (this.goBackwards ? time - 1 - t : t));
    const outputs: tf.Tensor[] = [];
    let previous: tf.Tensor | null = null;
    for (const t of order) {
      const result = runStep(t, states);
      let output = result.output;
      let next = result.states;
      if (maskSteps !== null) {
        const keep = maskSteps[t]!;
        const fallback: tf.Tensor = this.zeroOutputForMask || previous === null ? tf.zerosLike(output) : previous;
        output = tf.where(tf.broadcastTo(keep, output.shape), output, fallback);
        next = next.map((s, i) => tf.where(tf.broadcastTo(keep, s.shape), s, states[i]!));
      }
      outputs.push(output);
      states = next;
      previous = output;
    }
    return { sequence: () => tf.stack(outputs, 1), last: outputs[outputs.length - 1]!, states };
  }

  private carry(states: tf.Tensor[]): void {
    if (this.carriedStates !== null) tf.dispose(this.carriedStates);
    this.carriedStates = states.map((s) => tf.keep(s.clone()));
  }

  /** Clears the carried states of a stateful layer. */
  resetStates(): void {
    if (this.carriedStates !== null) tf.dispose(this.carriedStates);
    this.carriedStates = null;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const batch = shape[0] ?? null;
    const output: Shape = this.returnSequences
      ? [batch, shape[1] ?? null, this.cell.outputSize]
      : [batch, this.cell.outputSize];
    if (!this.returnState) return output;
    return [output, ...this.cell.stateSize.map((s) => [batch, s] as Shape)];
  }

  override computeMask(_inputs: TensorOrList, mask: CallContext['mask']): tf.Tensor | (tf.Tensor | null)[] | null {
    const inputMask = Array.isArray(mask) ? (mask[0] ?? null) : (mask ?? null);
    const outputMask = this.returnSequences ? inputMask : null;
    if (!this.returnState) return outputMask;
    return [outputMask, ...this.cell.stateSize.map(() => null)];
  }

  /** The RNN-level config entries, shared by the dedicated layers. */
  protected rnnConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: this.stateful,
      unroll: this.unroll,
      zeroOutputForMask: this.zeroOutputForMask,
    };
  }

  override getConfig(): LayerConfig {
    return { ...this.rnnConfig(), cell: serializeLayer(this.cell) };
  }

  static override fromConfig(config: LayerConfig): RNN {
    const { cell, ...rest } = config;
    return new RNN(deserializeLayer(cell, 'RNN config "cell"') as RNNCell, rest as RNNArgs);
  }

  override dispose(): void {
    this.resetStates();
    super.dispose();
  }
}
registerLayer(RNN);

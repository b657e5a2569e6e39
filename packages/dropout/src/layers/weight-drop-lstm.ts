/**
 * `WeightDropLSTM(units, {weightDropout, ...LSTM options})`: the weight-dropped LSTM of Merity,
 * Keskar & Socher, "Regularizing and Optimizing LSTM Language Models" (ICLR 2018): DropConnect on
 * the hidden-to-hidden (recurrent) kernel, one mask per call shared by every time step. Unlike
 * `recurrentDropout` it leaves the recurrence itself untouched, so it regularises the recurrent
 * connections without the per-step masks that make an LSTM ineligible for fused kernels (lint rule
 * `rnn-cudnn-ineligible`). Keras has no such layer.
 */
import { SeedGenerator, layers, registerLayer, tf, type LayerConfig, type LayerVariable } from '../core-api.js';
import { DROPOUT_PACKAGE, checkRate } from './rate.js';
import { acceptedOptionKeys, layerArgs } from '../core-api.js';

type LSTMCellArgs = layers.LSTMCellArgs;
type SequencePlan = layers.SequencePlan;
/** Options of the RNN wrapper (returnSequences, returnState, …). */
export type RNNArgs = layers.RNNArgs;

/** Options of {@link WeightDropLSTMCell}. */
export interface WeightDropLSTMCellArgs extends LSTMCellArgs {
  /** Fraction of the recurrent kernel's entries dropped in training [0]. */
  weightDropout?: number;
}

/** Options of {@link WeightDropLSTM}: the cell's options and the RNN's. */
export type WeightDropLSTMArgs = WeightDropLSTMCellArgs & RNNArgs;

/** An LSTM cell whose recurrent kernel is DropConnect-masked once per call in training. */
export class WeightDropLSTMCell extends layers.LSTMCell {
  static override readonly className: string = 'WeightDropLSTMCell';
  static override readonly optionKeys: readonly string[] = ['weightDropout'];
  /** Fraction of recurrent weights dropped in training; settable between calls. */
  weightDropout: number;
  private readonly weightSeeds: SeedGenerator;
  /** The masked recurrent kernel of the running call (freed with the call's tidy scope). */
  private droppedKernel: tf.Tensor | null = null;

  constructor(units: number, args?: WeightDropLSTMCellArgs);
  constructor(args: WeightDropLSTMCellArgs & { units: number });
  constructor(...params: unknown[]) {
    const { units, ...args } = layerArgs<WeightDropLSTMCellArgs & { units: number }>(new.target, params, ['units']);
    super(units, args);
    this.weightDropout = checkRate(
      args.weightDropout ?? 0,
      `Layer "${this.name}" (WeightDropLSTMCell)`,
      'weightDropout',
    );
    // Its own stream, so that the activation dropout masks keep their Keras sequence.
    this.weightSeeds = new SeedGenerator(
      args.seed === undefined || args.seed === null ? null : (args.seed * 31 + 17) % 2147483647,
    );
  }

  override step(input: tf.Tensor, states: tf.Tensor[], training: boolean) {
    return this.withDroppedKernel(training, () => super.step(input, states, training));
  }

  /** The LSTM's whole-sequence plan, built while the cell shows the call's masked kernel. */
  override prepareSequence(sequence: tf.Tensor, training: boolean): SequencePlan | null {
    if (this.recurrentKernel === null) return null;
    return this.withDroppedKernel(training, () => this.sequencePlan(sequence, training));
  }

  /** Runs `use` while `recurrentKernel.value` reads the call's DropConnect-masked kernel (in training). */
  private withDroppedKernel<T>(training: boolean, use: () => T): T {
    const rate = this.weightDropout;
    if (!training || rate === 0 || this.recurrentKernel === null) return use();
    const kernel = this.recurrentKernel;
    if (this.droppedKernel === null) {
      const value = kernel.value;
      this.droppedKernel =
        rate >= 1
          ? tf.zerosLike(value)
          : tf.mul(
              value,
              tf.div(
                tf.cast(
                  tf.greaterEqual(tf.randomUniform(value.shape, 0, 1, 'float32', this.weightSeeds.next()), rate),
                  'float32',
                ),
                1 - rate,
              ),
            );
    }
    // The product is taken from the variable, so gradients reach the real weights.
    const masked: LayerVariable = Object.create(kernel, { value: { value: this.droppedKernel } }) as LayerVariable;
    this.recurrentKernel = masked;
    try {
      return use();
    } finally {
      this.recurrentKernel = kernel;
    }
  }

  /** Ends the call: the next call draws a new weight mask. */
  override resetDropoutMasks(): void {
    super.resetDropoutMasks();
    this.droppedKernel = null;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), weightDropout: this.weightDropout };
  }

  static override fromConfig(config: LayerConfig): WeightDropLSTMCell {
    return new WeightDropLSTMCell(config['units'] as number, config as WeightDropLSTMCellArgs);
  }
}
registerLayer(WeightDropLSTMCell, { package: DROPOUT_PACKAGE });

/** Options that belong to the RNN wrapper rather than the cell (as core's LSTM splits them). */
const RNN_KEYS = [
  'returnSequences',
  'returnState',
  'goBackwards',
  'stateful',
  'unroll',
  'zeroOutputForMask',
  'inputShape',
  'batchSize',
  'activityRegularizer',
];

/**
 * An `LSTM` whose recurrent kernel is weight-dropped: in training each call draws one Bernoulli
 * mask over `recurrent_kernel`, scales kept entries by `1 / (1 − weightDropout)` and uses it at
 * every step; at inference it is exactly an `LSTM`. Combine with `dropout` for the inputs.
 */
export class WeightDropLSTM extends layers.RNN {
  static override readonly className: string = 'WeightDropLSTM';
  static override readonly optionKeys: readonly string[] = acceptedOptionKeys(WeightDropLSTMCell) ?? [];
  declare readonly cell: WeightDropLSTMCell;

  constructor(units: number, args?: WeightDropLSTMArgs);
  constructor(args: WeightDropLSTMArgs & { units: number });
  constructor(...params: unknown[]) {
    const { units, ...args } = layerArgs<WeightDropLSTMArgs & { units: number }>(new.target, params, ['units']);
    const cellArgs: Record<string, unknown> = { ...args, name: 'weight_drop_lstm_cell' };
    const rnnArgs: Record<string, unknown> = {};
    for (const key of [...RNN_KEYS, 'name', 'trainable', 'dtype']) {
      if (key in args) rnnArgs[key] = (args as Record<string, unknown>)[key];
      if (RNN_KEYS.includes(key)) delete cellArgs[key];
    }
    cellArgs['name'] = 'weight_drop_lstm_cell';
    super(new WeightDropLSTMCell(units, cellArgs as WeightDropLSTMCellArgs), rnnArgs as RNNArgs);
    this.inputSpec = { ndim: 3 };
  }

  /** Number of units. */
  get units(): number {
    return this.cell.units;
  }

  /** Fraction of the recurrent kernel dropped in training; settable between calls (schedules). */
  get weightDropout(): number {
    return this.cell.weightDropout;
  }
  set weightDropout(value: number) {
    this.cell.weightDropout = checkRate(value, `Layer "${this.name}" (WeightDropLSTM)`, 'weightDropout');
  }

  override getConfig(): LayerConfig {
    const { cell: _cell, ...rnn } = super.getConfig();
    const { name: _name, trainable: _trainable, dtype: _dtype, ...cell } = this.cell.getConfig();
    return { ...rnn, ...cell };
  }

  static override fromConfig(config: LayerConfig): WeightDropLSTM {
    return new WeightDropLSTM(config['units'] as number, config as WeightDropLSTMArgs);
  }
}
registerLayer(WeightDropLSTM, { package: DROPOUT_PACKAGE });

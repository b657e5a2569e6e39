/**
 * What Keras's built-in cells (SimpleRNNCell, LSTMCell, GRUCell) share: `units`, the resolved
 * options, the variational dropout masks, and the kernel / recurrent kernel / bias weights with
 * one block of `units` columns per gate.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import type { Initializer } from '../../initializers/index.js';
import type { LayerVariable } from '../../engine/variable.js';
import { resolveCellOptions, type CellArgs, type CellOptions } from './cell-options.js';
import { RecurrentDropoutMasks } from './dropout-masks.js';
import { RNNCell } from './rnn-cell.js';
import { InputShapeError } from '../../utils/errors.js';

/** Base of the built-in cells. */
export abstract class KerasCell extends RNNCell {
  static override readonly optionKeys: readonly string[] = [
    'units',
    'activation',
    'recurrentActivation',
    'useBias',
    'kernelInitializer',
    'recurrentInitializer',
    'biasInitializer',
    'kernelRegularizer',
    'recurrentRegularizer',
    'biasRegularizer',
    'kernelConstraint',
    'recurrentConstraint',
    'biasConstraint',
    'dropout',
    'recurrentDropout',
    'seed',
  ];
  /** Size of the output and of each state. */
  readonly units: number;
  /** The resolved options (activations, initializers, regularizers, constraints, dropout rates, seed). */
  readonly options: CellOptions;
  override readonly dropoutMasks: RecurrentDropoutMasks;
  /** `[inputDim, gates·units]`, once built. */
  kernel: LayerVariable | null = null;
  /** `[units, gates·units]`, once built. */
  recurrentKernel: LayerVariable | null = null;
  /** The bias, once built (when `useBias`). */
  bias: LayerVariable | null = null;

  protected constructor(units: number, args: CellArgs) {
    super(args);
    this.units = units;
    this.options = resolveCellOptions(args, this.name, units);
    this.dropoutMasks = new RecurrentDropoutMasks(
      this.options.dropout,
      this.options.recurrentDropout,
      this.options.seed,
    );
  }

  /**
   * Keras's `implementation` for gated cells: 2 fuses the gate matmuls; `recurrentDropout > 0`
   * forces 1, one matmul (and one dropout mask) per gate.
   */
  protected gateImplementation(requested: 1 | 2 | undefined): 1 | 2 {
    return this.options.recurrentDropout !== 0 ? 1 : (requested ?? 2);
  }

  /**
   * The call's variational dropout masks, `count` of each kind, shaped `(batch, features)` and
   * `(batch, units)`; null where the rate gives none. Drawn once per call, input masks first, the
   * same whether the first `step` or a whole-sequence plan asks. Gated cells (LSTM, GRU) use a
   * mask only for rates inside (0, 1); SimpleRNN for any rate > 0 (rate 1 gives a zero mask).
   */
  protected callDropoutMasks(
    batch: number,
    features: number,
    training: boolean,
    count: number,
    rateOneMasks = false,
  ): { inputMasks: tf.Tensor[] | null; recurrentMasks: tf.Tensor[] | null } {
    const applies = (rate: number): boolean => training && rate > 0 && (rateOneMasks || rate < 1);
    const o = this.options;
    const inputMasks = applies(o.dropout) ? this.dropoutMasks.input([batch, features], count) : null;
    const recurrentMasks = applies(o.recurrentDropout) ? this.dropoutMasks.recurrent([batch, this.units], count) : null;
    return { inputMasks, recurrentMasks };
  }

  get outputSize(): number {
    return this.units;
  }

  /** Creates the three weights, in Keras's order, for `gates` gates. */
  protected buildGateWeights(
    inputShape: Shape | Shape[],
    gates: number,
    biasShape: number[],
    biasInitializer: Initializer = this.options.biasInitializer,
  ): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const inputDim = shape[shape.length - 1];
    if (typeof inputDim !== 'number') {
      throw new InputShapeError(
        `Layer "${this.name}" (${this.className}): the input feature size must be known, got shape [${shape.join(', ')}]`,
      );
    }
    const o = this.options;
    this.kernel = this.addWeight('kernel', [inputDim, gates * this.units], {
      initializer: o.kernelInitializer,
      regularizer: o.kernelRegularizer,
      constraint: o.kernelConstraint,
    });
    this.recurrentKernel = this.addWeight('recurrent_kernel', [this.units, gates * this.units], {
      initializer: o.recurrentInitializer,
      regularizer: o.recurrentRegularizer,
      constraint: o.recurrentConstraint,
    });
    if (o.useBias)
      this.bias = this.addWeight('bias', biasShape, {
        initializer: biasInitializer,
        regularizer: o.biasRegularizer,
        constraint: o.biasConstraint,
      });
  }
}

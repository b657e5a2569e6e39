/**
 * `SimpleRNNCell(units)`, as Keras 3: `h = activation(x·W + b + h₋₁·U)` with one input and one
 * recurrent dropout mask per call.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import type { LayerVariable } from '../../engine/variable.js';
import { cellOptionsConfig, resolveCellOptions, type CellArgs, type CellOptions } from './cell-options.js';
import { RecurrentDropoutMasks } from './dropout-masks.js';
import { RNNCell, type StepResult } from './rnn-cell.js';

/** The cell of {@link SimpleRNN}. */
export class SimpleRNNCell extends RNNCell {
  static override readonly className: string = 'SimpleRNNCell';
  readonly units: number;
  readonly options: CellOptions;
  override readonly dropoutMasks: RecurrentDropoutMasks;
  kernel: LayerVariable | null = null;
  recurrentKernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;

  constructor(units: number, args: CellArgs = {}) {
    super(args);
    this.units = units;
    this.options = resolveCellOptions(args, this.name, units);
    this.dropoutMasks = new RecurrentDropoutMasks(this.options.dropout, this.options.recurrentDropout, this.options.seed);
  }

  get stateSize(): number[] {
    return [this.units];
  }

  get outputSize(): number {
    return this.units;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const inputDim = shape[shape.length - 1];
    if (typeof inputDim !== 'number') throw new Error(`Layer "${this.name}" (SimpleRNNCell): the input feature size must be known, got shape [${shape.join(', ')}]`);
    const o = this.options;
    this.kernel = this.addWeight('kernel', [inputDim, this.units], { initializer: o.kernelInitializer, regularizer: o.kernelRegularizer, constraint: o.kernelConstraint });
    this.recurrentKernel = this.addWeight('recurrent_kernel', [this.units, this.units], { initializer: o.recurrentInitializer, regularizer: o.recurrentRegularizer, constraint: o.recurrentConstraint });
    if (o.useBias) this.bias = this.addWeight('bias', [this.units], { initializer: o.biasInitializer, regularizer: o.biasRegularizer, constraint: o.biasConstraint });
  }

  step(input: tf.Tensor, states: tf.Tensor[], training: boolean): StepResult {
    const previous = states[0]!;
    let x = input;
    let h = previous;
    // Keras's SimpleRNN applies its masks whenever the rate is > 0 (rate 1 gives a zero mask).
    if (training && this.options.dropout > 0) x = tf.mul(x, this.dropoutMasks.input(input, 1)[0]!);
    if (training && this.options.recurrentDropout > 0) h = tf.mul(h, this.dropoutMasks.recurrent(previous, 1)[0]!);
    let z = tf.matMul(x, this.kernel!.value);
    if (this.bias) z = tf.add(z, this.bias.value);
    const output = this.options.activation(tf.add(z, tf.matMul(h, this.recurrentKernel!.value)));
    return { output, states: [output] };
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), units: this.units, ...cellOptionsConfig(this.options, false) };
  }

  static override fromConfig(config: LayerConfig): SimpleRNNCell {
    return new SimpleRNNCell(config['units'] as number, config as CellArgs);
  }
}
registerLayer(SimpleRNNCell);

/**
 * `SimpleRNNCell(units)`, as Keras 3: `h = activation(x·W + b + h₋₁·U)` with one input and one
 * recurrent dropout mask per call.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { cellOptionsConfig, type CellArgs } from './cell-options.js';
import { KerasCell } from './keras-cell.js';
import type { StepResult } from './rnn-cell.js';
import { layerArgs } from '../../engine/layer-options.js';

/** The cell of {@link SimpleRNN}. */
export class SimpleRNNCell extends KerasCell {
  static override readonly className: string = 'SimpleRNNCell';
  static override readonly optionKeys: readonly string[] = [];

  constructor(units: number, activation?: CellArgs['activation'], args?: CellArgs);
  constructor(units: number, args?: CellArgs);
  constructor(args: CellArgs & { units: number });
  constructor(...params: unknown[]) {
    const { units, ...args } = layerArgs<CellArgs & { units: number }>(new.target, params, ['units', 'activation']);
    super(units, args);
  }

  get stateSize(): number[] {
    return [this.units];
  }

  override build(inputShape: Shape | Shape[]): void {
    this.buildGateWeights(inputShape, 1, [this.units]);
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

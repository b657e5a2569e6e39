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
import { kernelProjection, projectSequence, recurrentProjector } from './gate-math.js';
import { hasSimpleRNNSequence, simpleRNNSequence } from '../../backend/fused/simple-rnn-sequence.js';
import { kernelPlan, sequenceRunResult } from './sequence-run-result.js';
import type { SequencePlan, StepResult } from './rnn-cell.js';
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
    const [batch, features] = input.shape as [number, number];
    // Keras's SimpleRNN applies its masks whenever the rate is > 0 (rate 1 gives a zero mask).
    const { inputMasks, recurrentMasks } = this.callDropoutMasks(batch, features, training, 1, true);
    const x = inputMasks === null ? input : tf.mul(input, inputMasks[0]!);
    const h = recurrentMasks === null ? previous : tf.mul(previous, recurrentMasks[0]!);
    let z = tf.matMul(x, this.kernel!.value);
    if (this.bias) z = tf.add(z, this.bias.value);
    const output = this.options.activation(tf.add(z, tf.matMul(h, this.recurrentKernel!.value)));
    return { output, states: [output] };
  }

  /** The same steps, with the input projection of all steps done before the loop. */
  override prepareSequence(sequence: tf.Tensor, training: boolean): SequencePlan | null {
    if (this.step !== SimpleRNNCell.prototype.step) return null;
    const [batch, , features] = sequence.shape as [number, number, number];
    const { inputMasks, recurrentMasks } = this.callDropoutMasks(batch, features, training, 1, true);
    const bias = this.bias?.value ?? null;
    const recurrentKernel = this.recurrentKernel!.value;
    // Keras's default activation has a fused whole-sequence kernel (with its own gradient) on wasm and cpu.
    if (this.options.activationName === 'tanh' && hasSimpleRNNSequence() && batch > 0) {
      const xProj = kernelProjection(sequence, this.kernel!.value, 1, inputMasks) as tf.Tensor;
      return kernelPlan(
        () => this.perStepPlan(sequence, inputMasks, recurrentMasks),
        (states, options) => {
          const h0 = states[0]!;
          const { outputs, h } = simpleRNNSequence({ xProj, bias, recurrentKernel, h0, recurrentMasks, ...options });
          return sequenceRunResult(outputs, h, [h], options.mask !== null);
        },
      );
    }
    return this.perStepPlan(sequence, inputMasks, recurrentMasks);
  }

  /** The per-step plan: the input projection of all steps up front, then one recurrent step at a time. */
  private perStepPlan(
    sequence: tf.Tensor,
    inputMasks: tf.Tensor[] | null,
    recurrentMasks: tf.Tensor[] | null,
  ): SequencePlan {
    const projected = projectSequence(sequence, this.kernel!.value, this.bias?.value ?? null, 1, inputMasks);
    const recurrent = recurrentProjector(this.recurrentKernel!.value, 1, recurrentMasks);
    return {
      step: (t, states) => {
        const output = this.options.activation(tf.add(projected[t]!, recurrent(states[0]!)));
        return { output, states: [output] };
      },
    };
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), units: this.units, ...cellOptionsConfig(this.options, false) };
  }

  static override fromConfig(config: LayerConfig): SimpleRNNCell {
    return new SimpleRNNCell(config['units'] as number, config as CellArgs);
  }
}
registerLayer(SimpleRNNCell);

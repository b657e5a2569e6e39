/**
 * `LSTMCell(units)`, as Keras 3 (gate order i, f, c, o; `unitForgetBias`; per-gate dropout
 * masks when `recurrentDropout > 0`).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import { Initializer } from '../../initializers/index.js';
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { cellOptionsConfig, type CellArgs } from './cell-options.js';
import { hasFusedLSTMGates, lstmGates } from '../../backend/fused/lstm-gates.js';
import { gateProjections, projectSequence, kernelProjection, recurrentProjector } from './gate-math.js';
import { hasLSTMSequence } from '../../backend/fused/lstm-sequence.js';
import { runLSTMSequence } from './lstm-sequence-run.js';
import { kernelPlan } from './sequence-run-result.js';
import { KerasCell } from './keras-cell.js';
import type { SequencePlan, StepResult } from './rnn-cell.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link LSTMCell}. */
export interface LSTMCellArgs extends CellArgs {
  /** Add 1 to the forget gate bias at initialization [true]. */
  unitForgetBias?: boolean;
  /** 2 fuses the gate matmuls; 1 computes each gate separately. Keras forces 1 when `recurrentDropout > 0` [2]. */
  implementation?: 1 | 2;
}

/** Bias initializer for `unitForgetBias`: the base initializer, with ones for the forget gate. */
class ForgetBiasInitializer extends Initializer {
  readonly className: string;
  constructor(
    private readonly base: Initializer,
    private readonly units: number,
  ) {
    super();
    this.className = base.className;
  }
  call(shape: number[], dtype?: tf.DataType): tf.Tensor {
    return tf.tidy(() => {
      const u = this.units;
      const rest = this.base.call([2 * u], dtype);
      return tf.reshape(tf.concat([this.base.call([u], dtype), tf.ones([u], dtype), rest], 0), shape);
    });
  }
  getConfig(): Record<string, unknown> {
    return this.base.getConfig();
  }
}

/** The cell of {@link LSTM}: states `[h, c]`. */
export class LSTMCell extends KerasCell {
  static override readonly className: string = 'LSTMCell';
  static override readonly optionKeys: readonly string[] = ['unitForgetBias', 'implementation'];
  readonly unitForgetBias: boolean;
  readonly implementation: 1 | 2;

  constructor(units: number, activation?: LSTMCellArgs['activation'], args?: LSTMCellArgs);
  constructor(units: number, args?: LSTMCellArgs);
  constructor(args: LSTMCellArgs & { units: number });
  constructor(...params: unknown[]) {
    const { units, ...args } = layerArgs<LSTMCellArgs & { units: number }>(new.target, params, ['units', 'activation']);
    super(units, args);
    this.unitForgetBias = args.unitForgetBias ?? true;
    this.implementation = this.gateImplementation(args.implementation);
  }

  get stateSize(): number[] {
    return [this.units, this.units];
  }

  override build(inputShape: Shape | Shape[]): void {
    const initializer = this.unitForgetBias
      ? new ForgetBiasInitializer(this.options.biasInitializer, this.units)
      : this.options.biasInitializer;
    this.buildGateWeights(inputShape, 4, [4 * this.units], initializer);
  }

  step(input: tf.Tensor, states: tf.Tensor[], training: boolean): StepResult {
    const [hPrev, cPrev] = states as [tf.Tensor, tf.Tensor];
    const count = this.implementation === 1 ? 4 : 1;
    const [batch, features] = input.shape as [number, number];
    const { inputMasks, recurrentMasks } = this.callDropoutMasks(batch, features, training, count);
    let zi: tf.Tensor, zf: tf.Tensor, zc: tf.Tensor, zo: tf.Tensor;
    if (this.implementation === 2) {
      // One fused pre-activation for all four gates, split once (Keras implementation 2).
      const x = inputMasks === null ? input : tf.mul(input, inputMasks[0]!);
      let z = tf.add(tf.matMul(x, this.kernel!.value), tf.matMul(hPrev, this.recurrentKernel!.value));
      if (this.bias !== null) z = tf.add(z, this.bias.value);
      [zi, zf, zc, zo] = tf.split(z, 4, 1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    } else {
      const xs = gateProjections(input, this.kernel!.value, this.bias?.value ?? null, 4, inputMasks);
      const hs = gateProjections(hPrev, this.recurrentKernel!.value, null, 4, recurrentMasks);
      [zi, zf, zc, zo] = xs.map((x, g) => tf.add(x, hs[g]!)) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    }
    return this.gateUpdate(zi, zf, zc, zo, cPrev);
  }

  /** The same steps, with the input projection of all steps done before the loop. */
  override prepareSequence(sequence: tf.Tensor, training: boolean): SequencePlan | null {
    // A subclass that overrides `step` keeps it (unless it overrides this method too).
    return this.step === LSTMCell.prototype.step ? this.sequencePlan(sequence, training) : null;
  }

  /** The plan itself, reading the weights as they are now (a subclass may swap one in). */
  protected sequencePlan(sequence: tf.Tensor, training: boolean): SequencePlan {
    const [batch, , features] = sequence.shape as [number, number, number];
    const count = this.implementation === 1 ? 4 : 1;
    const o = this.options;
    const { inputMasks, recurrentMasks } = this.callDropoutMasks(batch, features, training, count);
    const recurrentKernel = this.recurrentKernel!.value;
    const bias = this.bias?.value ?? null;
    // Keras's default activations have fused kernels (with their own gradients) on wasm and cpu:
    // the whole loop in one kernel, else the gate arithmetic of one step in one kernel.
    const defaults = o.activationName === 'tanh' && o.recurrentActivationName === 'sigmoid';
    if (defaults && hasLSTMSequence() && batch > 0 && (recurrentMasks === null || recurrentMasks.length === 4)) {
      // The kernel adds the bias and takes per-gate projections as they are (no concatenation).
      const xProj = kernelProjection(sequence, this.kernel!.value, 4, inputMasks);
      return kernelPlan(
        () => this.perStepPlan(sequence, recurrentKernel, inputMasks, recurrentMasks),
        (states, options) =>
          runLSTMSequence(xProj, bias, recurrentKernel, states, {
            ...options,
            recurrentMasks,
          }),
      );
    }
    return this.perStepPlan(sequence, recurrentKernel, inputMasks, recurrentMasks);
  }

  /** The per-step plan: the input projection of all steps up front, then one recurrent step at a time. */
  private perStepPlan(
    sequence: tf.Tensor,
    recurrentKernel: tf.Tensor,
    inputMasks: tf.Tensor[] | null,
    recurrentMasks: tf.Tensor[] | null,
  ): SequencePlan {
    const o = this.options;
    const projected = projectSequence(sequence, this.kernel!.value, this.bias?.value ?? null, 4, inputMasks);
    const recurrent = recurrentProjector(recurrentKernel, 4, recurrentMasks);
    const fused = o.activationName === 'tanh' && o.recurrentActivationName === 'sigmoid' && hasFusedLSTMGates();
    return {
      step: (t, states) => {
        const z = tf.add(projected[t]!, recurrent(states[0]!));
        if (fused) {
          const [h, c] = lstmGates(z, states[1]!);
          return { output: h, states: [h, c] };
        }
        const [zi, zf, zc, zo] = tf.split(z, 4, 1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        return this.gateUpdate(zi, zf, zc, zo, states[1]!);
      },
    };
  }

  /** The gates' nonlinearities and the state update, from the four pre-activations. */
  private gateUpdate(zi: tf.Tensor, zf: tf.Tensor, zc: tf.Tensor, zo: tf.Tensor, cPrev: tf.Tensor): StepResult {
    const o = this.options;
    const i = o.recurrentActivation(zi);
    const f = o.recurrentActivation(zf);
    const c = tf.add(tf.mul(f, cPrev), tf.mul(i, o.activation(zc)));
    const gate = o.recurrentActivation(zo);
    const h = tf.mul(gate, o.activation(c));
    return { output: h, states: [h, c] };
  }

  override getConfig(): LayerConfig {
    const { dropout, recurrentDropout, seed, ...options } = cellOptionsConfig(this.options, true);
    return {
      ...super.getConfig(),
      units: this.units,
      ...options,
      unitForgetBias: this.unitForgetBias,
      dropout,
      recurrentDropout,
      seed,
    };
  }

  static override fromConfig(config: LayerConfig): LSTMCell {
    return new LSTMCell(config['units'] as number, config as LSTMCellArgs);
  }
}
registerLayer(LSTMCell);

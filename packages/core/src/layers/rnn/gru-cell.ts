/**
 * `GRUCell(units)`, as Keras 3 (gate order z, r, h; `resetAfter` true by default with a
 * `[2, 3·units]` bias; per-gate dropout masks when `recurrentDropout > 0`; the state update
 * uses the unmasked previous state).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { cellOptionsConfig, type CellArgs } from './cell-options.js';
import { gateProjections, projectSequence, kernelProjection, recurrentProjector } from './gate-math.js';
import { hasGRUSequence } from '../../backend/fused/gru-sequence.js';
import { runGRUSequence } from './gru-sequence-run.js';
import { kernelPlan } from './sequence-run-result.js';
import { KerasCell } from './keras-cell.js';
import type { SequencePlan, StepResult } from './rnn-cell.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link GRUCell}. */
export interface GRUCellArgs extends CellArgs {
  /** Apply the reset gate after the recurrent matmul (Keras 3 / cuDNN convention) [true]. */
  resetAfter?: boolean;
  /** 2 fuses the gate matmuls; 1 computes each gate separately. Keras forces 1 when `recurrentDropout > 0` [2]. */
  implementation?: 1 | 2;
}

/** The cell of {@link GRU}: one state `h`. */
export class GRUCell extends KerasCell {
  static override readonly className: string = 'GRUCell';
  static override readonly optionKeys: readonly string[] = ['resetAfter', 'implementation'];
  readonly resetAfter: boolean;
  readonly implementation: 1 | 2;

  constructor(units: number, activation?: GRUCellArgs['activation'], args?: GRUCellArgs);
  constructor(units: number, args?: GRUCellArgs);
  constructor(args: GRUCellArgs & { units: number });
  constructor(...params: unknown[]) {
    const { units, ...args } = layerArgs<GRUCellArgs & { units: number }>(new.target, params, ['units', 'activation']);
    super(units, args);
    this.resetAfter = args.resetAfter ?? true;
    this.implementation = this.gateImplementation(args.implementation);
  }

  get stateSize(): number[] {
    return [this.units];
  }

  override build(inputShape: Shape | Shape[]): void {
    // reset_after keeps separate input and recurrent biases: shape [2, 3·units].
    this.buildGateWeights(inputShape, 3, this.resetAfter ? [2, 3 * this.units] : [3 * this.units]);
  }

  step(input: tf.Tensor, states: tf.Tensor[], training: boolean): StepResult {
    const hPrev = states[0]!;
    const count = this.implementation === 1 ? 3 : 1;
    const [batch, features] = input.shape as [number, number];
    const { inputMasks, recurrentMasks } = this.callDropoutMasks(batch, features, training, count);
    const { inputBias, recurrentBias } = this.biases();
    const [xz, xr, xh] = gateProjections(input, this.kernel!.value, inputBias, 3, inputMasks) as [
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
    ];
    // Per gate, a masked copy of the previous state feeds only that gate's matmul.
    // (Recurrent masks only exist with recurrentDropout > 0, which forces implementation 1: one per gate.)
    const stateFor = (gate: number): tf.Tensor =>
      recurrentMasks === null ? hPrev : tf.mul(hPrev, recurrentMasks[gate]!);
    let rz: tf.Tensor, rr: tf.Tensor, rh: tf.Tensor;
    if (this.resetAfter) {
      [rz, rr, rh] = gateProjections(hPrev, this.recurrentKernel!.value, recurrentBias, 3, recurrentMasks) as [
        tf.Tensor,
        tf.Tensor,
        tf.Tensor,
      ];
    } else {
      const [kzr, kh] = tf.split(this.recurrentKernel!.value, [2 * this.units, this.units], 1) as [
        tf.Tensor,
        tf.Tensor,
      ];
      [rz, rr] = (
        recurrentMasks === null
          ? tf.split(tf.matMul(hPrev, kzr), 2, 1)
          : tf.split(kzr, 2, 1).map((k, g) => tf.matMul(stateFor(g), k))
      ) as [tf.Tensor, tf.Tensor];
      rh = kh;
    }
    return this.gateUpdate(
      xz,
      xr,
      xh,
      rz,
      rr,
      (r) => (this.resetAfter ? tf.mul(r, rh) : tf.matMul(tf.mul(r, stateFor(2)), rh)),
      hPrev,
    );
  }

  /** The same steps, with the input projection of all steps done before the loop. */
  override prepareSequence(sequence: tf.Tensor, training: boolean): SequencePlan | null {
    // A subclass that overrides `step` keeps it.
    if (this.step !== GRUCell.prototype.step) return null;
    const [batch, , features] = sequence.shape as [number, number, number];
    const count = this.implementation === 1 ? 3 : 1;
    const { inputMasks, recurrentMasks } = this.callDropoutMasks(batch, features, training, count);
    const o = this.options;
    // Keras's default activations have a fused whole-sequence kernel (with its own gradient) on wasm and cpu.
    const defaults = o.activationName === 'tanh' && o.recurrentActivationName === 'sigmoid';
    if (defaults && hasGRUSequence() && batch > 0 && (recurrentMasks === null || recurrentMasks.length === 3)) {
      // The kernel adds the biases and takes per-gate projections as they are (no concatenation).
      const xProj = kernelProjection(sequence, this.kernel!.value, 3, inputMasks);
      const weights = { ...this.biases(), recurrentKernel: this.recurrentKernel!.value, resetAfter: this.resetAfter };
      return kernelPlan(
        () => this.perStepPlan(sequence, inputMasks, recurrentMasks),
        (states, options) => runGRUSequence(xProj, weights, states, { ...options, recurrentMasks }),
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
    const { inputBias, recurrentBias } = this.biases();
    const projected = projectSequence(sequence, this.kernel!.value, inputBias, 3, inputMasks);
    if (this.resetAfter) {
      const recurrent = recurrentProjector(this.recurrentKernel!.value, 3, recurrentMasks);
      return {
        step: (t, states) => {
          const [xz, xr, xh] = tf.split(projected[t]!, 3, 1) as [tf.Tensor, tf.Tensor, tf.Tensor];
          const hr = recurrent(states[0]!);
          const [rz, rr, rh] = tf.split(recurrentBias === null ? hr : tf.add(hr, recurrentBias), 3, 1) as [
            tf.Tensor,
            tf.Tensor,
            tf.Tensor,
          ];
          return this.gateUpdate(xz, xr, xh, rz, rr, (r) => tf.mul(r, rh), states[0]!);
        },
      };
    }
    const [kzr, kh] = tf.split(this.recurrentKernel!.value, [2 * this.units, this.units], 1) as [tf.Tensor, tf.Tensor];
    const recurrentZR = recurrentProjector(kzr, 2, recurrentMasks === null ? null : recurrentMasks.slice(0, 2));
    const candidateMask = recurrentMasks === null ? null : recurrentMasks[2]!;
    return {
      step: (t, states) => {
        const hPrev = states[0]!;
        const [xz, xr, xh] = tf.split(projected[t]!, 3, 1) as [tf.Tensor, tf.Tensor, tf.Tensor];
        const [rz, rr] = tf.split(recurrentZR(hPrev), 2, 1) as [tf.Tensor, tf.Tensor];
        const masked = candidateMask === null ? hPrev : tf.mul(hPrev, candidateMask);
        return this.gateUpdate(xz, xr, xh, rz, rr, (r) => tf.matMul(tf.mul(r, masked), kh), hPrev);
      },
    };
  }

  /** The input bias and, with `resetAfter`, the separate recurrent bias. */
  private biases(): { inputBias: tf.Tensor | null; recurrentBias: tf.Tensor | null } {
    if (this.bias === null) return { inputBias: null, recurrentBias: null };
    if (!this.resetAfter) return { inputBias: this.bias.value, recurrentBias: null };
    const [inputBias, recurrentBias] = tf.unstack(this.bias.value, 0) as [tf.Tensor, tf.Tensor];
    return { inputBias, recurrentBias };
  }

  /**
   * The gates and the state update from the pre-activations; `recurrentCandidate(r)` is the
   * candidate's recurrent term (reset_after applies r after the recurrent matmul, otherwise to the
   * state before it).
   */
  private gateUpdate(
    xz: tf.Tensor,
    xr: tf.Tensor,
    xh: tf.Tensor,
    rz: tf.Tensor,
    rr: tf.Tensor,
    recurrentCandidate: (r: tf.Tensor) => tf.Tensor,
    hPrev: tf.Tensor,
  ): StepResult {
    const o = this.options;
    const z = o.recurrentActivation(tf.add(xz, rz));
    const r = o.recurrentActivation(tf.add(xr, rr));
    const candidate = o.activation(tf.add(xh, recurrentCandidate(r)));
    // The update uses the unmasked previous state (Keras 3; TF.js masks it, a known bug).
    const h = tf.add(tf.mul(z, hPrev), tf.mul(tf.sub(1, z), candidate));
    return { output: h, states: [h] };
  }

  override getConfig(): LayerConfig {
    const { dropout, recurrentDropout, seed, ...options } = cellOptionsConfig(this.options, true);
    return {
      ...super.getConfig(),
      units: this.units,
      ...options,
      dropout,
      recurrentDropout,
      resetAfter: this.resetAfter,
      seed,
    };
  }

  static override fromConfig(config: LayerConfig): GRUCell {
    return new GRUCell(config['units'] as number, config as GRUCellArgs);
  }
}
registerLayer(GRUCell);

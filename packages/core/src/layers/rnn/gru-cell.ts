/**
 * `GRUCell(units)`, as Keras 3 (gate order z, r, h; `resetAfter` true by default with a
 * `[2, 3·units]` bias; per-gate dropout masks when `recurrentDropout > 0`; the state update
 * uses the unmasked previous state).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import type { LayerVariable } from '../../engine/variable.js';
import { cellOptionsConfig, resolveCellOptions, type CellArgs, type CellOptions } from './cell-options.js';
import { RecurrentDropoutMasks } from './dropout-masks.js';
import { addGateBias, projectGates } from './gate-math.js';
import { RNNCell, type StepResult } from './rnn-cell.js';

/** Options of {@link GRUCell}. */
export interface GRUCellArgs extends CellArgs {
  /** Apply the reset gate after the recurrent matmul (Keras 3 / cuDNN convention) [true]. */
  resetAfter?: boolean;
  /** 2 fuses the gate matmuls; 1 computes each gate separately. Keras forces 1 when `recurrentDropout > 0` [2]. */
  implementation?: 1 | 2;
}

/** The cell of {@link GRU}: one state `h`. */
export class GRUCell extends RNNCell {
  static override readonly className: string = 'GRUCell';
  readonly units: number;
  readonly options: CellOptions;
  readonly resetAfter: boolean;
  readonly implementation: 1 | 2;
  override readonly dropoutMasks: RecurrentDropoutMasks;
  kernel: LayerVariable | null = null;
  recurrentKernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;

  constructor(units: number, args: GRUCellArgs = {}) {
    super(args);
    this.units = units;
    this.options = resolveCellOptions(args, this.name, units);
    this.resetAfter = args.resetAfter ?? true;
    this.implementation = this.options.recurrentDropout !== 0 ? 1 : (args.implementation ?? 2);
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
    if (typeof inputDim !== 'number') throw new Error(`Layer "${this.name}" (GRUCell): the input feature size must be known, got shape [${shape.join(', ')}]`);
    const o = this.options;
    const u = this.units;
    this.kernel = this.addWeight('kernel', [inputDim, 3 * u], { initializer: o.kernelInitializer, regularizer: o.kernelRegularizer, constraint: o.kernelConstraint });
    this.recurrentKernel = this.addWeight('recurrent_kernel', [u, 3 * u], { initializer: o.recurrentInitializer, regularizer: o.recurrentRegularizer, constraint: o.recurrentConstraint });
    if (o.useBias) {
      this.bias = this.addWeight('bias', this.resetAfter ? [2, 3 * u] : [3 * u], { initializer: o.biasInitializer, regularizer: o.biasRegularizer, constraint: o.biasConstraint });
    }
  }

  step(input: tf.Tensor, states: tf.Tensor[], training: boolean): StepResult {
    const hPrev = states[0]!;
    const count = this.implementation === 1 ? 3 : 1;
    const o = this.options;
    const inputMasks = training && o.dropout > 0 && o.dropout < 1 ? this.dropoutMasks.input(input, count) : null;
    const recurrentMasks = training && o.recurrentDropout > 0 && o.recurrentDropout < 1 ? this.dropoutMasks.recurrent(hPrev, count) : null;
    let inputBias: tf.Tensor | null = null;
    let recurrentBias: tf.Tensor | null = null;
    if (this.bias !== null) {
      if (this.resetAfter) {
        const [b0, b1] = tf.unstack(this.bias.value, 0) as [tf.Tensor, tf.Tensor];
        inputBias = b0;
        recurrentBias = b1;
      } else {
        inputBias = this.bias.value;
      }
    }
    const [xz, xr, xh] = addGateBias(projectGates(input, this.kernel!.value, 3, inputMasks), inputBias) as [tf.Tensor, tf.Tensor, tf.Tensor];
    // Masked copies of the previous state feed only the matmuls, one per gate.
    const hz = recurrentMasks ? tf.mul(hPrev, recurrentMasks[0]!) : hPrev;
    const hr = recurrentMasks ? tf.mul(hPrev, recurrentMasks[Math.min(1, recurrentMasks.length - 1)]!) : hPrev;
    const hh = recurrentMasks ? tf.mul(hPrev, recurrentMasks[Math.min(2, recurrentMasks.length - 1)]!) : hPrev;
    const [kz, kr, kh] = tf.split(this.recurrentKernel!.value, 3, 1) as [tf.Tensor, tf.Tensor, tf.Tensor];
    const [bz, br, bh] = recurrentBias ? (tf.split(recurrentBias, 3, 0) as [tf.Tensor, tf.Tensor, tf.Tensor]) : [null, null, null];
    const withBias = (t: tf.Tensor, b: tf.Tensor | null): tf.Tensor => (b ? tf.add(t, b) : t);
    const z = o.recurrentActivation(tf.add(xz, withBias(tf.matMul(hz, kz), bz)));
    const r = o.recurrentActivation(tf.add(xr, withBias(tf.matMul(hr, kr), br)));
    const recurrentH = this.resetAfter ? tf.mul(r, withBias(tf.matMul(hh, kh), bh)) : tf.matMul(tf.mul(r, hh), kh);
    const candidate = o.activation(tf.add(xh, recurrentH));
    // The update uses the unmasked previous state (Keras 3; TF.js masks it, a known bug).
    const h = tf.add(tf.mul(z, hPrev), tf.mul(tf.sub(1, z), candidate));
    return { output: h, states: [h] };
  }

  override getConfig(): LayerConfig {
    const { dropout, recurrentDropout, seed, ...options } = cellOptionsConfig(this.options, true);
    return { ...super.getConfig(), units: this.units, ...options, dropout, recurrentDropout, resetAfter: this.resetAfter, seed };
  }

  static override fromConfig(config: LayerConfig): GRUCell {
    return new GRUCell(config['units'] as number, config as GRUCellArgs);
  }
}
registerLayer(GRUCell);

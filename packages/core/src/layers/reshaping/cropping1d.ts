/**
 * `Cropping1D`: removes steps at the start and end of a sequence, as `keras.layers.Cropping1D`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { formatShape, singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { standardizePair, type IntOrPair } from './tuple-args.js';
import { InputShapeError } from '../../utils/errors.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link Cropping1D}. */
export interface Cropping1DArgs extends LayerArgs {
  /** Steps removed at the start and end: `c` or `[start, end]` [`[1, 1]`]. */
  cropping?: IntOrPair;
}

/** `(batch, steps, features)` → `(batch, steps - start - end, features)`. */
export class Cropping1D extends Layer {
  static override readonly className: string = 'Cropping1D';
  static override readonly optionKeys: readonly string[] = ['cropping'];
  readonly cropping: [number, number];

  constructor(cropping?: Cropping1DArgs['cropping'], args?: Cropping1DArgs);
  constructor(args?: Cropping1DArgs);
  constructor(...params: unknown[]) {
    const args = layerArgs<Cropping1DArgs>(new.target, params, ['cropping']);
    super(args);
    this.cropping = standardizePair(args.cropping ?? [1, 1], 'cropping', `Layer "${this.name}" (Cropping1D)`, true);
    this.inputSpec = { ndim: 3 };
  }

  private check(shape: Shape): void {
    const steps = shape[1];
    if (steps !== null && steps !== undefined && this.cropping[0] + this.cropping[1] >= steps) {
      throw new InputShapeError(
        `Layer "${this.name}" (Cropping1D): cropping [${this.cropping.join(', ')}] must remove fewer steps than the input has; ` +
          `input shape ${formatShape(shape)}`,
      );
    }
  }

  override build(inputShape: Shape): void {
    this.check(inputShape);
  }

  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    this.check(x.shape);
    const [start, end] = this.cropping;
    return tf.tidy(() => tf.slice(x, [0, start, 0], [-1, x.shape[1]! - start - end, -1]));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), cropping: [...this.cropping] };
  }
}
registerLayer(Cropping1D);

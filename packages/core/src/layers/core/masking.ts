/**
 * `Masking({maskValue})`, as Keras 3: marks time steps whose features all equal `maskValue`
 * as masked for downstream layers (RNNs skip them) and zeroes them.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link Masking}. */
export interface MaskingArgs extends LayerArgs {
  /** Value that marks a masked step [0]. */
  maskValue?: number;
}

/** Masks time steps whose features all equal `maskValue`. */
export class Masking extends Layer {
  static override readonly className: string = 'Masking';
  static override readonly optionKeys: readonly string[] = ['maskValue'];
  readonly maskValue: number;

  constructor(maskValue?: number, args?: MaskingArgs);
  constructor(args?: MaskingArgs);
  constructor(...params: unknown[]) {
    const args = layerArgs<MaskingArgs>(new.target, params, ['maskValue']);
    super(args);
    this.maskValue = args.maskValue ?? 0;
    this.supportsMasking = true;
  }

  override computeMask(inputs: TensorOrList): tf.Tensor {
    const x = singleInput(inputs, this.name);
    return tf.tidy(() => tf.any(tf.notEqual(x, this.maskValue), -1));
  }

  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    return tf.tidy(() => tf.mul(x, tf.cast(tf.any(tf.notEqual(x, this.maskValue), -1, true), x.dtype)));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }
}
registerLayer(Masking);

/**
 * `UnitNormalization({axis})`: Keras 3's L2 normalization of each example.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { axisList, resolveAxis } from './axes.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link UnitNormalization}. */
export interface UnitNormalizationArgs extends LayerArgs {
  /** Axis or axes whose L2 norm becomes 1 [-1]. */
  axis?: number | number[];
}

/**
 * `x / sqrt(max(sum(x², axis), 1e-24))`: every example gets unit L2 norm over `axis` (zero
 * vectors stay zero). No weights; masks pass through. Keras: `keras.layers.UnitNormalization`.
 */
export class UnitNormalization extends Layer {
  static override readonly className: string = 'UnitNormalization';
  static override readonly optionKeys: readonly string[] = ['axis'];
  readonly axis: number | number[];

  /**
   * @param axisOrArgs the axis or axes (Keras's first positional argument) or the options
   * @param args options when the axis is given first
   */
  constructor(axis?: number | number[], args?: UnitNormalizationArgs);
  constructor(args?: UnitNormalizationArgs);
  constructor(...params: unknown[]) {
    const options = layerArgs<UnitNormalizationArgs>(new.target, params, ['axis']);
    super(options);
    const axis = options.axis ?? -1;
    axisList(axis, `UnitNormalization "${this.name}"`);
    this.axis = Array.isArray(axis) ? [...axis] : axis;
    this.supportsMasking = true;
  }

  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    return tf.tidy(() => {
      const where = `UnitNormalization "${this.name}"`;
      const axes = axisList(this.axis, where).map((a) => resolveAxis(a, x.shape, where));
      // Keras clamps the squared norm at epsilon² (epsilon 1e-12) so zero vectors stay finite.
      const squareSum = tf.sum(tf.square(x), axes, true);
      return tf.mul(x, tf.rsqrt(tf.maximum(squareSum, 1e-24)));
    });
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axis: Array.isArray(this.axis) ? [...this.axis] : this.axis };
  }

  static override fromConfig(config: LayerConfig): UnitNormalization {
    return new UnitNormalization(config as UnitNormalizationArgs);
  }
}

registerLayer(UnitNormalization);

/**
 * `SeparableConv1D(filters, {kernelSize, depthMultiplier, ...})`: Keras 3's depthwise-separable 1-D convolution.
 */
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { BaseSeparableConv, type SeparableConvArgs } from './base-separable-conv.js';

/** Options of {@link SeparableConv1D}. */
export type SeparableConv1DArgs = SeparableConvArgs;

/**
 * A depthwise convolution of `(batch, steps, channels)` followed by a pointwise convolution to `filters`
 * channels (weights `depthwise_kernel`, `pointwise_kernel`, `bias`). Keras: `keras.layers.SeparableConv1D`.
 */
export class SeparableConv1D extends BaseSeparableConv {
  static override readonly className: string = 'SeparableConv1D';

  /**
   * @param filters number of output channels
   * @param args `kernelSize` (required) and the other options, Keras defaults
   */
  constructor(filters: number, args: SeparableConv1DArgs) {
    super(1, filters, args);
  }

  static override fromConfig(config: LayerConfig): SeparableConv1D {
    return new SeparableConv1D(config['filters'] as number, config as unknown as SeparableConv1DArgs);
  }
}

registerLayer(SeparableConv1D);

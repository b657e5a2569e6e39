/**
 * `SeparableConv2D(filters, {kernelSize, depthMultiplier, ...})`: Keras 3's depthwise-separable 2-D convolution.
 */
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { BaseSeparableConv, type SeparableConvArgs } from './base-separable-conv.js';

/** Options of {@link SeparableConv2D}. */
export type SeparableConv2DArgs = SeparableConvArgs;

/**
 * A depthwise convolution of `(batch, rows, cols, channels)` followed by a pointwise convolution to `filters`
 * channels (weights `depthwise_kernel`, `pointwise_kernel`, `bias`). Keras: `keras.layers.SeparableConv2D`.
 */
export class SeparableConv2D extends BaseSeparableConv {
  static override readonly className: string = 'SeparableConv2D';

  /**
   * @param filters number of output channels
   * @param args `kernelSize` (required) and the other options, Keras defaults
   */
  constructor(filters: number, args: SeparableConv2DArgs) {
    super(2, filters, args);
  }

  static override fromConfig(config: LayerConfig): SeparableConv2D {
    return new SeparableConv2D(config['filters'] as number, config as unknown as SeparableConv2DArgs);
  }
}

registerLayer(SeparableConv2D);

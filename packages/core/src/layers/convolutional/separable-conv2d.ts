/**
 * `SeparableConv2D(filters, {kernelSize, depthMultiplier, ...})`: Keras 3's depthwise-separable 2-D convolution.
 */
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { BaseSeparableConv, type SeparableConvArgs } from './base-separable-conv.js';
import type { IntOrTuple } from './base-conv.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link SeparableConv2D}. */
export type SeparableConv2DArgs = SeparableConvArgs;

/**
 * A depthwise convolution of `(batch, rows, cols, channels)` followed by a pointwise convolution to `filters`
 * channels (weights `depthwise_kernel`, `pointwise_kernel`, `bias`). Keras: `keras.layers.SeparableConv2D`.
 */
export class SeparableConv2D extends BaseSeparableConv {
  static override readonly className: string = 'SeparableConv2D';
  static override readonly optionKeys: readonly string[] = [];

  /**
   * Keras's call forms: `new SeparableConv2D(filters, kernelSize, options?)` (`new SeparableConv2D(32, [3, 3])`),
   * `new SeparableConv2D(filters, { kernelSize, ... })` or `new SeparableConv2D({ filters, kernelSize, ... })`.
   *
   * @param filters number of output channels
   * @param kernelSize window size: an int or one int per spatial dimension (required)
   * @param args the other options, Keras defaults
   */
  constructor(filters: number, kernelSize: IntOrTuple, args?: Omit<SeparableConv2DArgs, 'kernelSize'>);
  constructor(filters: number, args: SeparableConv2DArgs);
  constructor(args: SeparableConv2DArgs & { filters: number });
  constructor(...params: unknown[]) {
    const args = layerArgs<SeparableConv2DArgs & { filters: number }>(new.target, params, ['filters', 'kernelSize']);
    super(2, args.filters, args);
  }

  static override fromConfig(config: LayerConfig): SeparableConv2D {
    return new SeparableConv2D(config['filters'] as number, config as unknown as SeparableConv2DArgs);
  }
}

registerLayer(SeparableConv2D);

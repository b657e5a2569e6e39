/**
 * `SeparableConv1D(filters, {kernelSize, depthMultiplier, ...})`: Keras 3's depthwise-separable 1-D convolution.
 */
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { BaseSeparableConv, type SeparableConvArgs } from './base-separable-conv.js';
import type { IntOrTuple } from './base-conv.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link SeparableConv1D}. */
export type SeparableConv1DArgs = SeparableConvArgs;

/**
 * A depthwise convolution of `(batch, steps, channels)` followed by a pointwise convolution to `filters`
 * channels (weights `depthwise_kernel`, `pointwise_kernel`, `bias`). Keras: `keras.layers.SeparableConv1D`.
 */
export class SeparableConv1D extends BaseSeparableConv {
  static override readonly className: string = 'SeparableConv1D';
  static override readonly optionKeys: readonly string[] = [];

  /**
   * Keras's call forms: `new SeparableConv1D(filters, kernelSize, options?)` (`new SeparableConv1D(32, 3)`),
   * `new SeparableConv1D(filters, { kernelSize, ... })` or `new SeparableConv1D({ filters, kernelSize, ... })`.
   *
   * @param filters number of output channels
   * @param kernelSize window size: an int or one int per spatial dimension (required)
   * @param args the other options, Keras defaults
   */
  constructor(filters: number, kernelSize: IntOrTuple, args?: Omit<SeparableConv1DArgs, 'kernelSize'>);
  constructor(filters: number, args: SeparableConv1DArgs);
  constructor(args: SeparableConv1DArgs & { filters: number });
  constructor(...params: unknown[]) {
    const args = layerArgs<SeparableConv1DArgs & { filters: number }>(new.target, params, ['filters', 'kernelSize']);
    super(1, args.filters, args);
  }

  static override fromConfig(config: LayerConfig): SeparableConv1D {
    return new SeparableConv1D(config['filters'] as number, config as unknown as SeparableConv1DArgs);
  }
}

registerLayer(SeparableConv1D);

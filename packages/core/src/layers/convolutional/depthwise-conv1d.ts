/**
 * `DepthwiseConv1D(kernelSize, {depthMultiplier, ...})`: Keras 3's depthwise 1-D convolution.
 */
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import type { IntOrTuple } from './base-conv.js';
import { BaseDepthwiseConv, type DepthwiseConvArgs } from './base-depthwise-conv.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link DepthwiseConv1D}. */
export type DepthwiseConv1DArgs = DepthwiseConvArgs;

/**
 * Convolves each channel of `(batch, steps, channels)` with its own `depthMultiplier` filters, kernel
 * `[k, inChannels, depthMultiplier]` (weight `kernel`, as Keras 3). Keras: `keras.layers.DepthwiseConv1D`.
 */
export class DepthwiseConv1D extends BaseDepthwiseConv {
  static override readonly className: string = 'DepthwiseConv1D';
  static override readonly optionKeys: readonly string[] = [];

  /**
   * @param kernelSize window size: an int or `[steps]` (Keras's first positional argument)
   * @param args other options, Keras defaults
   */
  constructor(kernelSize: IntOrTuple, strides?: IntOrTuple, args?: DepthwiseConv1DArgs);
  constructor(kernelSize: IntOrTuple, args?: DepthwiseConv1DArgs);
  constructor(args: DepthwiseConv1DArgs & { kernelSize: IntOrTuple });
  constructor(...params: unknown[]) {
    const args = layerArgs<DepthwiseConv1DArgs & { kernelSize: IntOrTuple }>(new.target, params, [
      'kernelSize',
      'strides',
    ]);
    super(1, args.kernelSize, args);
  }

  static override fromConfig(config: LayerConfig): DepthwiseConv1D {
    return new DepthwiseConv1D(config['kernelSize'] as IntOrTuple, config as unknown as DepthwiseConv1DArgs);
  }
}

registerLayer(DepthwiseConv1D);

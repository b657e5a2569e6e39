/**
 * `DepthwiseConv2D(kernelSize, {depthMultiplier, ...})`: Keras 3's depthwise 2-D convolution.
 */
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import type { IntOrTuple } from './base-conv.js';
import { BaseDepthwiseConv, type DepthwiseConvArgs } from './base-depthwise-conv.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link DepthwiseConv2D}. */
export type DepthwiseConv2DArgs = DepthwiseConvArgs;

/**
 * Convolves each channel of `(batch, rows, cols, channels)` with its own `depthMultiplier` filters, kernel
 * `[kh, kw, inChannels, depthMultiplier]` (weight `kernel`, as Keras 3). Keras: `keras.layers.DepthwiseConv2D`.
 */
export class DepthwiseConv2D extends BaseDepthwiseConv {
  static override readonly className: string = 'DepthwiseConv2D';
  static override readonly optionKeys: readonly string[] = [];

  /**
   * @param kernelSize window size: an int or `[rows, cols]` (Keras's first positional argument)
   * @param args other options, Keras defaults
   */
  constructor(kernelSize: IntOrTuple, strides?: IntOrTuple, args?: DepthwiseConv2DArgs);
  constructor(kernelSize: IntOrTuple, args?: DepthwiseConv2DArgs);
  constructor(args: DepthwiseConv2DArgs & { kernelSize: IntOrTuple });
  constructor(...params: unknown[]) {
    const args = layerArgs<DepthwiseConv2DArgs & { kernelSize: IntOrTuple }>(new.target, params, [
      'kernelSize',
      'strides',
    ]);
    super(2, args.kernelSize, args);
  }

  static override fromConfig(config: LayerConfig): DepthwiseConv2D {
    return new DepthwiseConv2D(config['kernelSize'] as IntOrTuple, config as unknown as DepthwiseConv2DArgs);
  }
}

registerLayer(DepthwiseConv2D);

/**
 * `DepthwiseConv2D(kernelSize, {depthMultiplier, ...})`: Keras 3's depthwise 2-D convolution.
 */
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import type { IntOrTuple } from './base-conv.js';
import { BaseDepthwiseConv, type DepthwiseConvArgs } from './base-depthwise-conv.js';

/** Options of {@link DepthwiseConv2D}. */
export type DepthwiseConv2DArgs = DepthwiseConvArgs;

/**
 * Convolves each channel of `(batch, rows, cols, channels)` with its own `depthMultiplier` filters, kernel
 * `[kh, kw, inChannels, depthMultiplier]` (weight `kernel`, as Keras 3). Keras: `keras.layers.DepthwiseConv2D`.
 */
export class DepthwiseConv2D extends BaseDepthwiseConv {
  static override readonly className: string = 'DepthwiseConv2D';

  /**
   * @param kernelSize window size: an int or `[rows, cols]` (Keras's first positional argument)
   * @param args other options, Keras defaults
   */
  constructor(kernelSize: IntOrTuple, args: DepthwiseConv2DArgs = {}) {
    super(2, kernelSize, args);
  }

  static override fromConfig(config: LayerConfig): DepthwiseConv2D {
    return new DepthwiseConv2D(config['kernelSize'] as IntOrTuple, config as unknown as DepthwiseConv2DArgs);
  }
}

registerLayer(DepthwiseConv2D);

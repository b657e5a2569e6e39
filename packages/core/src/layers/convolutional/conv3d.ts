/**
 * `Conv3D(filters, {kernelSize, ...})`: Keras 3's 3-D convolution layer.
 */
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { ConvND, type ConvArgs } from './conv-nd.js';

/** Options of {@link Conv3D}. */
export type Conv3DArgs = ConvArgs;

/**
 * 3-D convolution (cross-correlation) over inputs `(batch, d1, d2, d3, channels)` (channels last), with
 * kernel `[...kernelSize, channels / groups, filters]` and optional bias and activation.
 * Keras: `keras.layers.Conv3D`.
 */
export class Conv3D extends ConvND {
  static override readonly className: string = 'Conv3D';

  /**
   * @param filters number of output channels
   * @param args `kernelSize` (required) and the other options, Keras defaults
   */
  constructor(filters: number, args: Conv3DArgs) {
    super(3, filters, args);
  }

  static override fromConfig(config: LayerConfig): Conv3D {
    return new Conv3D(config['filters'] as number, config as unknown as Conv3DArgs);
  }
}

registerLayer(Conv3D);

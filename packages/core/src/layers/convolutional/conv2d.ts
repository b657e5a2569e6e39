/**
 * `Conv2D(filters, {kernelSize, ...})`: Keras 3's 2-D convolution layer.
 */
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { ConvND, type ConvArgs } from './conv-nd.js';

/** Options of {@link Conv2D}. */
export type Conv2DArgs = ConvArgs;

/**
 * 2-D convolution (cross-correlation) over inputs `(batch, rows, cols, channels)` (channels last), with
 * kernel `[...kernelSize, channels / groups, filters]` and optional bias and activation.
 * Keras: `keras.layers.Conv2D`.
 *
 * @example
 * ```ts
 * const conv = new layers.Conv2D(32, { kernelSize: 3, padding: 'same', activation: 'relu' });
 * const maps = conv.apply(Input([28, 28, 1])); // shape [null, 28, 28, 32]
 * ```
 */
export class Conv2D extends ConvND {
  static override readonly className: string = 'Conv2D';

  /**
   * @param filters number of output channels
   * @param args `kernelSize` (required) and the other options, Keras defaults
   */
  constructor(filters: number, args: Conv2DArgs) {
    super(2, filters, args);
  }

  static override fromConfig(config: LayerConfig): Conv2D {
    return new Conv2D(config['filters'] as number, config as unknown as Conv2DArgs);
  }
}

registerLayer(Conv2D);

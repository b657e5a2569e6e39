/**
 * `Conv2DTranspose(filters, {kernelSize, ...})`: Keras 3's transposed 2-D convolution.
 */
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { BaseConvTranspose, type ConvTransposeArgs } from './base-conv-transpose.js';

/** Options of {@link Conv2DTranspose}. */
export type Conv2DTransposeArgs = ConvTransposeArgs;

/**
 * Transposed convolution ("deconvolution") of `(batch, rows, cols, channels)`: kernel `[...kernelSize, filters, inChannels]`,
 * TensorFlow's output size (`same` → input * stride; `valid` → (input - 1) * stride + kernel,
 * plus `outputPadding` when given). Keras: `keras.layers.Conv2DTranspose`.
 */
export class Conv2DTranspose extends BaseConvTranspose {
  static override readonly className: string = 'Conv2DTranspose';

  /**
   * @param filters number of output channels
   * @param args `kernelSize` (required) and the other options, Keras defaults
   */
  constructor(filters: number, args: Conv2DTransposeArgs) {
    super(2, filters, args);
  }

  static override fromConfig(config: LayerConfig): Conv2DTranspose {
    return new Conv2DTranspose(config['filters'] as number, config as unknown as Conv2DTransposeArgs);
  }
}

registerLayer(Conv2DTranspose);

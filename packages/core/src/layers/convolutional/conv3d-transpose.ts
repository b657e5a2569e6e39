/**
 * `Conv3DTranspose(filters, {kernelSize, ...})`: Keras 3's transposed 3-D convolution.
 */
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { BaseConvTranspose, type ConvTransposeArgs } from './base-conv-transpose.js';

/** Options of {@link Conv3DTranspose}. */
export type Conv3DTransposeArgs = ConvTransposeArgs;

/**
 * Transposed convolution ("deconvolution") of `(batch, dim1, dim2, dim3, channels)`: kernel `[...kernelSize, filters, inChannels]`,
 * TensorFlow's output size (`same` → input * stride; `valid` → (input - 1) * stride + kernel,
 * plus `outputPadding` when given). Keras: `keras.layers.Conv3DTranspose`.
 */
export class Conv3DTranspose extends BaseConvTranspose {
  static override readonly className: string = 'Conv3DTranspose';

  /**
   * @param filters number of output channels
   * @param args `kernelSize` (required) and the other options, Keras defaults
   */
  constructor(filters: number, args: Conv3DTransposeArgs) {
    super(3, filters, args);
  }

  static override fromConfig(config: LayerConfig): Conv3DTranspose {
    return new Conv3DTranspose(config['filters'] as number, config as unknown as Conv3DTransposeArgs);
  }
}

registerLayer(Conv3DTranspose);

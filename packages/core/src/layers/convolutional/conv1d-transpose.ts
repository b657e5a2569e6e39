/**
 * `Conv1DTranspose(filters, {kernelSize, ...})`: Keras 3's transposed 1-D convolution.
 */
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { BaseConvTranspose, type ConvTransposeArgs } from './base-conv-transpose.js';

/** Options of {@link Conv1DTranspose}. */
export type Conv1DTransposeArgs = ConvTransposeArgs;

/**
 * Transposed convolution ("deconvolution") of `(batch, steps, channels)`: kernel `[...kernelSize, filters, inChannels]`,
 * TensorFlow's output size (`same` → input * stride; `valid` → (input - 1) * stride + kernel,
 * plus `outputPadding` when given). Keras: `keras.layers.Conv1DTranspose`.
 */
export class Conv1DTranspose extends BaseConvTranspose {
  static override readonly className: string = 'Conv1DTranspose';

  /**
   * @param filters number of output channels
   * @param args `kernelSize` (required) and the other options, Keras defaults
   */
  constructor(filters: number, args: Conv1DTransposeArgs) {
    super(1, filters, args);
  }

  static override fromConfig(config: LayerConfig): Conv1DTranspose {
    return new Conv1DTranspose(config['filters'] as number, config as unknown as Conv1DTransposeArgs);
  }
}

registerLayer(Conv1DTranspose);

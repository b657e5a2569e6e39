/**
 * `Conv3DTranspose(filters, {kernelSize, ...})`: Keras 3's transposed 3-D convolution.
 */
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { BaseConvTranspose, type ConvTransposeArgs } from './base-conv-transpose.js';
import type { IntOrTuple } from './base-conv.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link Conv3DTranspose}. */
export type Conv3DTransposeArgs = ConvTransposeArgs;

/**
 * Transposed convolution ("deconvolution") of `(batch, dim1, dim2, dim3, channels)`: kernel `[...kernelSize, filters, inChannels]`,
 * TensorFlow's output size (`same` → input * stride; `valid` → (input - 1) * stride + kernel,
 * plus `outputPadding` when given). Keras: `keras.layers.Conv3DTranspose`.
 */
export class Conv3DTranspose extends BaseConvTranspose {
  static override readonly className: string = 'Conv3DTranspose';
  static override readonly optionKeys: readonly string[] = [];

  /**
   * Keras's call forms: `new Conv3DTranspose(filters, kernelSize, options?)` (`new Conv3DTranspose(32, [3, 3, 3])`),
   * `new Conv3DTranspose(filters, { kernelSize, ... })` or `new Conv3DTranspose({ filters, kernelSize, ... })`.
   *
   * @param filters number of output channels
   * @param kernelSize window size: an int or one int per spatial dimension (required)
   * @param args the other options, Keras defaults
   */
  constructor(filters: number, kernelSize: IntOrTuple, args?: Omit<Conv3DTransposeArgs, 'kernelSize'>);
  constructor(filters: number, args: Conv3DTransposeArgs);
  constructor(args: Conv3DTransposeArgs & { filters: number });
  constructor(...params: unknown[]) {
    const args = layerArgs<Conv3DTransposeArgs & { filters: number }>(new.target, params, ['filters', 'kernelSize']);
    super(3, args.filters, args);
  }

  static override fromConfig(config: LayerConfig): Conv3DTranspose {
    return new Conv3DTranspose(config['filters'] as number, config as unknown as Conv3DTransposeArgs);
  }
}

registerLayer(Conv3DTranspose);

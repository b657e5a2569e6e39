/**
 * `Conv2DTranspose(filters, {kernelSize, ...})`: Keras 3's transposed 2-D convolution.
 */
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { BaseConvTranspose, type ConvTransposeArgs } from './base-conv-transpose.js';
import type { IntOrTuple } from './base-conv.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link Conv2DTranspose}. */
export type Conv2DTransposeArgs = ConvTransposeArgs;

/**
 * Transposed convolution ("deconvolution") of `(batch, rows, cols, channels)`: kernel `[...kernelSize, filters, inChannels]`,
 * TensorFlow's output size (`same` → input * stride; `valid` → (input - 1) * stride + kernel,
 * plus `outputPadding` when given). Keras: `keras.layers.Conv2DTranspose`.
 */
export class Conv2DTranspose extends BaseConvTranspose {
  static override readonly className: string = 'Conv2DTranspose';
  static override readonly optionKeys: readonly string[] = [];

  /**
   * Keras's call forms: `new Conv2DTranspose(filters, kernelSize, options?)` (`new Conv2DTranspose(32, [3, 3])`),
   * `new Conv2DTranspose(filters, { kernelSize, ... })` or `new Conv2DTranspose({ filters, kernelSize, ... })`.
   *
   * @param filters number of output channels
   * @param kernelSize window size: an int or one int per spatial dimension (required)
   * @param args the other options, Keras defaults
   */
  constructor(filters: number, kernelSize: IntOrTuple, args?: Omit<Conv2DTransposeArgs, 'kernelSize'>);
  constructor(filters: number, args: Conv2DTransposeArgs);
  constructor(args: Conv2DTransposeArgs & { filters: number });
  constructor(...params: unknown[]) {
    const args = layerArgs<Conv2DTransposeArgs & { filters: number }>(new.target, params, ['filters', 'kernelSize']);
    super(2, args.filters, args);
  }

  static override fromConfig(config: LayerConfig): Conv2DTranspose {
    return new Conv2DTranspose(config['filters'] as number, config as unknown as Conv2DTransposeArgs);
  }
}

registerLayer(Conv2DTranspose);

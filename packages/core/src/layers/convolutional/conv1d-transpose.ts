/**
 * `Conv1DTranspose(filters, {kernelSize, ...})`: Keras 3's transposed 1-D convolution.
 */
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { BaseConvTranspose, type ConvTransposeArgs } from './base-conv-transpose.js';
import type { IntOrTuple } from './base-conv.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link Conv1DTranspose}. */
export type Conv1DTransposeArgs = ConvTransposeArgs;

/**
 * Transposed convolution ("deconvolution") of `(batch, steps, channels)`: kernel `[...kernelSize, filters, inChannels]`,
 * TensorFlow's output size (`same` → input * stride; `valid` → (input - 1) * stride + kernel,
 * plus `outputPadding` when given). Keras: `keras.layers.Conv1DTranspose`.
 */
export class Conv1DTranspose extends BaseConvTranspose {
  static override readonly className: string = 'Conv1DTranspose';
  static override readonly optionKeys: readonly string[] = [];

  /**
   * Keras's call forms: `new Conv1DTranspose(filters, kernelSize, options?)` (`new Conv1DTranspose(32, 3)`),
   * `new Conv1DTranspose(filters, { kernelSize, ... })` or `new Conv1DTranspose({ filters, kernelSize, ... })`.
   *
   * @param filters number of output channels
   * @param kernelSize window size: an int or one int per spatial dimension (required)
   * @param args the other options, Keras defaults
   */
  constructor(filters: number, kernelSize: IntOrTuple, args?: Omit<Conv1DTransposeArgs, 'kernelSize'>);
  constructor(filters: number, args: Conv1DTransposeArgs);
  constructor(args: Conv1DTransposeArgs & { filters: number });
  constructor(...params: unknown[]) {
    const args = layerArgs<Conv1DTransposeArgs & { filters: number }>(new.target, params, ['filters', 'kernelSize']);
    super(1, args.filters, args);
  }

  static override fromConfig(config: LayerConfig): Conv1DTranspose {
    return new Conv1DTranspose(config['filters'] as number, config as unknown as Conv1DTransposeArgs);
  }
}

registerLayer(Conv1DTranspose);

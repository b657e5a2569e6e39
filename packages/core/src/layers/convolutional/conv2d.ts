/**
 * `Conv2D(filters, {kernelSize, ...})`: Keras 3's 2-D convolution layer.
 */
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { ConvND, type ConvArgs } from './conv-nd.js';
import type { IntOrTuple } from './base-conv.js';
import { layerArgs } from '../../engine/layer-options.js';

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
  static override readonly optionKeys: readonly string[] = [];

  /**
   * Keras's call forms: `new Conv2D(filters, kernelSize, options?)` (`new Conv2D(32, [3, 3])`),
   * `new Conv2D(filters, { kernelSize, ... })` or `new Conv2D({ filters, kernelSize, ... })`.
   *
   * @param filters number of output channels
   * @param kernelSize window size: an int or one int per spatial dimension (required)
   * @param args the other options, Keras defaults
   */
  constructor(filters: number, kernelSize: IntOrTuple, args?: Omit<Conv2DArgs, 'kernelSize'>);
  constructor(filters: number, args: Conv2DArgs);
  constructor(args: Conv2DArgs & { filters: number });
  constructor(...params: unknown[]) {
    const args = layerArgs<Conv2DArgs & { filters: number }>(new.target, params, ['filters', 'kernelSize']);
    super(2, args.filters, args);
  }

  static override fromConfig(config: LayerConfig): Conv2D {
    return new Conv2D(config['filters'] as number, config as unknown as Conv2DArgs);
  }
}

registerLayer(Conv2D);

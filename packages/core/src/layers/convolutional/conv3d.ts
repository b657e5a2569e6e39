/**
 * `Conv3D(filters, {kernelSize, ...})`: Keras 3's 3-D convolution layer.
 */
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { ConvND, type ConvArgs } from './conv-nd.js';
import type { IntOrTuple } from './base-conv.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link Conv3D}. */
export type Conv3DArgs = ConvArgs;

/**
 * 3-D convolution (cross-correlation) over inputs `(batch, d1, d2, d3, channels)` (channels last), with
 * kernel `[...kernelSize, channels / groups, filters]` and optional bias and activation.
 * Keras: `keras.layers.Conv3D`.
 */
export class Conv3D extends ConvND {
  static override readonly className: string = 'Conv3D';
  static override readonly optionKeys: readonly string[] = [];

  /**
   * Keras's call forms: `new Conv3D(filters, kernelSize, options?)` (`new Conv3D(32, [3, 3, 3])`),
   * `new Conv3D(filters, { kernelSize, ... })` or `new Conv3D({ filters, kernelSize, ... })`.
   *
   * @param filters number of output channels
   * @param kernelSize window size: an int or one int per spatial dimension (required)
   * @param args the other options, Keras defaults
   */
  constructor(filters: number, kernelSize: IntOrTuple, args?: Omit<Conv3DArgs, 'kernelSize'>);
  constructor(filters: number, args: Conv3DArgs);
  constructor(args: Conv3DArgs & { filters: number });
  constructor(...params: unknown[]) {
    const args = layerArgs<Conv3DArgs & { filters: number }>(new.target, params, ['filters', 'kernelSize']);
    super(3, args.filters, args);
  }

  static override fromConfig(config: LayerConfig): Conv3D {
    return new Conv3D(config['filters'] as number, config as unknown as Conv3DArgs);
  }
}

registerLayer(Conv3D);

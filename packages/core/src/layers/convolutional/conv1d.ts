/**
 * `Conv1D(filters, {kernelSize, ...})`: Keras 3's 1-D convolution layer.
 */
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { ConvND, type ConvArgs } from './conv-nd.js';
import type { IntOrTuple } from './base-conv.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link Conv1D}. */
export type Conv1DArgs = ConvArgs;

/** Conv1D also accepts `causal` padding (left padding only, for temporal models). */
const CONV1D_PADDINGS = ['valid', 'same', 'causal'] as const;

/**
 * 1-D convolution (cross-correlation) over inputs `(batch, steps, channels)` (channels last), with
 * kernel `[...kernelSize, channels / groups, filters]` and optional bias and activation.
 * Keras: `keras.layers.Conv1D`.
 */
export class Conv1D extends ConvND {
  static override readonly className: string = 'Conv1D';
  static override readonly optionKeys: readonly string[] = [];

  /**
   * Keras's call forms: `new Conv1D(filters, kernelSize, options?)` (`new Conv1D(32, 3)`),
   * `new Conv1D(filters, { kernelSize, ... })` or `new Conv1D({ filters, kernelSize, ... })`.
   *
   * @param filters number of output channels
   * @param kernelSize window size: an int or one int per spatial dimension (required)
   * @param args the other options, Keras defaults
   */
  constructor(filters: number, kernelSize: IntOrTuple, args?: Omit<Conv1DArgs, 'kernelSize'>);
  constructor(filters: number, args: Conv1DArgs);
  constructor(args: Conv1DArgs & { filters: number });
  constructor(...params: unknown[]) {
    const args = layerArgs<Conv1DArgs & { filters: number }>(new.target, params, ['filters', 'kernelSize']);
    super(1, args.filters, args, CONV1D_PADDINGS);
  }

  static override fromConfig(config: LayerConfig): Conv1D {
    return new Conv1D(config['filters'] as number, config as unknown as Conv1DArgs);
  }
}

registerLayer(Conv1D);

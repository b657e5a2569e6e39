/**
 * `Conv1D(filters, {kernelSize, ...})`: Keras 3's 1-D convolution layer.
 */
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { ConvND, type ConvArgs } from './conv-nd.js';

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

  /**
   * @param filters number of output channels
   * @param args `kernelSize` (required) and the other options, Keras defaults
   */
  constructor(filters: number, args: Conv1DArgs) {
    super(1, filters, args, CONV1D_PADDINGS);
  }

  static override fromConfig(config: LayerConfig): Conv1D {
    return new Conv1D(config['filters'] as number, config as unknown as Conv1DArgs);
  }
}

registerLayer(Conv1D);

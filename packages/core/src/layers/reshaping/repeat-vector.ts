/**
 * `RepeatVector`: repeats a vector `n` times, as `keras.layers.RepeatVector`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { ConfigurationError } from '../../utils/errors.js';
import { layerArgs } from '../../engine/layer-options.js';

/** `(batch, features)` → `(batch, n, features)`. */
export class RepeatVector extends Layer {
  static override readonly className: string = 'RepeatVector';
  static override readonly optionKeys: readonly string[] = ['n'];
  /** Number of repetitions. */
  readonly n: number;

  constructor(n: number, args?: LayerArgs);
  constructor(args: LayerArgs & { n: number });
  constructor(...params: unknown[]) {
    const { n, ...args } = layerArgs<LayerArgs & { n: number }>(new.target, params, ['n']);
    super(args);
    if (!Number.isInteger(n) || n <= 0) {
      throw new ConfigurationError(
        `Layer "${this.name}" (RepeatVector): n must be a positive integer, got ${String(n)}`,
      );
    }
    this.n = n;
    this.inputSpec = { ndim: 2 };
  }

  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    return tf.tidy(() => tf.tile(tf.expandDims(x, 1), [1, this.n, 1]));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), n: this.n };
  }

  static override fromConfig(config: LayerConfig): RepeatVector {
    return new RepeatVector(config['n'] as number, config as LayerArgs);
  }
}
registerLayer(RepeatVector);

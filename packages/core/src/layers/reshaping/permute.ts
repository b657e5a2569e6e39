/**
 * `Permute`: reorders the non-batch axes, as `keras.layers.Permute`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { ConfigurationError } from '../../utils/errors.js';
import { layerArgs } from '../../engine/layer-options.js';

/**
 * Permutes the axes after the batch: `dims` is a permutation of `1..rank-1` (1-based, the
 * batch axis is not included), e.g. `new Permute([2, 1])` swaps the two axes of `(batch, a, b)`.
 */
export class Permute extends Layer {
  static override readonly className: string = 'Permute';
  static override readonly optionKeys: readonly string[] = ['dims'];
  readonly dims: number[];

  constructor(dims: number[], args?: LayerArgs);
  constructor(args: LayerArgs & { dims: number[] });
  constructor(...params: unknown[]) {
    const { dims, ...args } = layerArgs<LayerArgs & { dims: number[] }>(new.target, params, ['dims']);
    super(args);
    const sorted = Array.isArray(dims) ? [...dims].sort((a, b) => a - b) : [];
    if (sorted.length === 0 || !sorted.every((d, i) => d === i + 1)) {
      throw new ConfigurationError(
        `Layer "${this.name}" (Permute): dims must be a permutation of consecutive axes starting from 1 ` +
          `(the batch axis 0 is not included), got ${JSON.stringify(dims)}`,
      );
    }
    this.dims = [...dims];
    this.inputSpec = { ndim: dims.length + 1 };
  }

  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    return tf.tidy(() => tf.transpose(x, [0, ...this.dims]));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), dims: [...this.dims] };
  }

  static override fromConfig(config: LayerConfig): Permute {
    return new Permute(config['dims'] as number[], config as LayerArgs);
  }
}
registerLayer(Permute);

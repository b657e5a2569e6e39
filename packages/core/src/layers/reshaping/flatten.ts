/**
 * `Flatten`: collapses all axes but the batch into one, as `keras.layers.Flatten`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { standardizeDataFormat, type DataFormat } from '../../engine/image-data-format.js';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link Flatten}. */
export interface FlattenArgs extends LayerArgs {
  /**
   * Layout of the input [the global `imageDataFormat()`, default `channels_last`]. With
   * `channels_first`, the input is moved to channels-last before flattening so the element
   * order matches a channels-last model.
   */
  dataFormat?: DataFormat | null;
}

/** `(batch, d1, d2, ...)` → `(batch, d1 * d2 * ...)`; a `(batch,)` input becomes `(batch, 1)`. */
export class Flatten extends Layer {
  static override readonly className: string = 'Flatten';
  static override readonly optionKeys: readonly string[] = ['dataFormat'];
  readonly dataFormat: DataFormat;

  constructor(dataFormat?: FlattenArgs['dataFormat'], args?: FlattenArgs);
  constructor(args?: FlattenArgs);
  constructor(...params: unknown[]) {
    const args = layerArgs<FlattenArgs>(new.target, params, ['dataFormat']);
    super(args);
    this.dataFormat = standardizeDataFormat(args.dataFormat, `Layer "${this.name}" (Flatten)`);
    this.inputSpec = { minNdim: 1 };
  }

  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    return tf.tidy(() => {
      let input = x;
      if (this.dataFormat === 'channels_first' && x.rank > 2) {
        input = tf.transpose(x, [0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2), 1]);
      }
      const size = x.shape.slice(1).reduce((a, b) => a * b, 1);
      return tf.reshape(input, [x.shape[0]!, size]);
    });
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), dataFormat: this.dataFormat };
  }
}
registerLayer(Flatten);

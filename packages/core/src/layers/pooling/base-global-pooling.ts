/**
 * What the global pooling layers share (Keras `BaseGlobalPooling`): `dataFormat`, `keepdims`
 * and the reduction over all spatial axes.
 */
import * as tf from '@tensorflow/tfjs-core';
import { standardizeDataFormat, type DataFormat } from '../../engine/image-data-format.js';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { singleInput, type TensorOrList } from '../../engine/shape-utils.js';

/** Options of the global pooling layers. */
export interface GlobalPoolingArgs extends LayerArgs {
  /** `channels_last` or `channels_first`; default: the global `imageDataFormat()`. */
  dataFormat?: DataFormat | string | null;
  /** Keep the spatial axes with size 1 (default false: output `(batch, channels)`). */
  keepdims?: boolean;
}

/** Base of `GlobalAveragePooling1D/2D/3D` and `GlobalMaxPooling1D/2D/3D`. */
export abstract class BaseGlobalPooling extends Layer {
  static override readonly optionKeys: readonly string[] = ['dataFormat', 'keepdims'];
  /** Number of spatial dimensions. */
  readonly rank: number;
  readonly dataFormat: DataFormat;
  readonly keepdims: boolean;

  constructor(rank: number, args: GlobalPoolingArgs) {
    super(args);
    this.rank = rank;
    this.dataFormat = standardizeDataFormat(args.dataFormat, `${this.className} "${this.name}"`);
    this.keepdims = args.keepdims ?? false;
    this.inputSpec = { ndim: rank + 2 };
  }

  /** The spatial axes of the input. */
  protected get spatialAxes(): number[] {
    const first = this.dataFormat === 'channels_last' ? 1 : 2;
    return Array.from({ length: this.rank }, (_, i) => first + i);
  }

  /** The reduction: mean or max over `axes`. */
  protected abstract reduce(x: tf.Tensor, axes: number[]): tf.Tensor;

  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    return tf.tidy(() => this.reduce(x, this.spatialAxes));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), dataFormat: this.dataFormat, keepdims: this.keepdims };
  }
}

/**
 * What `MaxPooling1D/2D` and `AveragePooling1D/2D` share (Keras `BasePooling`): argument
 * normalisation (`poolSize`, `strides` defaulting to `poolSize`, `padding`, `dataFormat`) and
 * the pooling on channels-last tensors.
 */
import * as tf from '@tensorflow/tfjs-core';
import { standardizeDataFormat, type DataFormat } from '../../engine/image-data-format.js';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { normalizePadding, normalizeTuple, type IntOrTuple } from '../convolutional/base-conv.js';
import { padSame } from '../convolutional/conv-ops.js';

/** Options of the pooling layers besides `poolSize`. */
export interface PoolingArgs extends LayerArgs {
  /** Step of the window; default `poolSize` (as Keras's `strides=None`). */
  strides?: IntOrTuple | null;
  /** `valid` (default, windows inside the input) or `same` (output size ceil(input / stride)). */
  padding?: string;
  /** `channels_last` or `channels_first`; default: the global `imageDataFormat()`. */
  dataFormat?: DataFormat | string | null;
}

/** Base of the max / average pooling layers over 1 or 2 spatial dimensions. */
export abstract class BasePooling extends Layer {
  /** Number of spatial dimensions. */
  readonly rank: number;
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly dataFormat: DataFormat;
  private readonly mode: 'max' | 'average';

  constructor(rank: number, mode: 'max' | 'average', poolSize: IntOrTuple, args: PoolingArgs) {
    super(args);
    const where = `${this.className} "${this.name}"`;
    this.rank = rank;
    this.mode = mode;
    this.poolSize = normalizeTuple(poolSize, rank, 'poolSize', where);
    this.strides = normalizeTuple(args.strides ?? poolSize, rank, 'strides', where);
    this.padding = normalizePadding(args.padding, ['valid', 'same'] as const, where);
    this.dataFormat = standardizeDataFormat(args.dataFormat, where);
    this.inputSpec = { ndim: rank + 2 };
  }

  call(inputs: TensorOrList, context: CallContext): tf.Tensor {
    void context;
    const x = singleInput(inputs, this.name);
    return tf.tidy(() => {
      let input = x;
      if (this.dataFormat === 'channels_first') {
        input = tf.transpose(x, [0, ...Array.from({ length: this.rank }, (_, i) => i + 2), 1]);
      }
      // 1-D pooling runs as 2-D pooling over a height of 1.
      const as2d = (this.rank === 1 ? tf.expandDims(input, 1) : input) as tf.Tensor4D;
      const pool: [number, number] = this.rank === 1 ? [1, this.poolSize[0]!] : [this.poolSize[0]!, this.poolSize[1]!];
      const strides: [number, number] = this.rank === 1 ? [1, this.strides[0]!] : [this.strides[0]!, this.strides[1]!];
      const pooled = this.mode === 'max' ? tf.maxPool(as2d, pool, strides, this.padding) : averagePool(as2d, pool, strides, this.padding);
      const output = this.rank === 1 ? tf.squeeze(pooled, [1]) : pooled;
      if (this.dataFormat === 'channels_first') {
        return tf.transpose(output, [0, this.rank + 1, ...Array.from({ length: this.rank }, (_, i) => i + 1)]);
      }
      return output;
    });
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      poolSize: [...this.poolSize],
      padding: this.padding,
      strides: [...this.strides],
      dataFormat: this.dataFormat,
    };
  }
}

/**
 * Average pooling where `same` windows average only real input values (as TF/Keras).
 * TF.js 4.22's WASM AvgPool does that in the forward pass, but its gradient divides by the full
 * window; so `same` is computed as zero padding + `valid` pooling, rescaled by the fraction of
 * real values in each window (a constant), which differentiates correctly everywhere.
 */
function averagePool(x: tf.Tensor4D, pool: [number, number], strides: [number, number], padding: 'valid' | 'same'): tf.Tensor4D {
  if (padding === 'valid') return tf.avgPool(x, pool, strides, 'valid');
  const padded = padSame(x, pool, strides) as tf.Tensor4D;
  if (padded === x) return tf.avgPool(x, pool, strides, 'valid');
  const realFraction = tf.avgPool(padSame(tf.ones([1, x.shape[1], x.shape[2], 1]), pool, strides) as tf.Tensor4D, pool, strides, 'valid');
  return tf.div(tf.avgPool(padded, pool, strides, 'valid'), realFraction);
}

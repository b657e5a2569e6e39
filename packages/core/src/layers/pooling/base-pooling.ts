/**
 * What `MaxPooling1D/2D/3D` and `AveragePooling1D/2D/3D` share (Keras `BasePooling`): argument
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

/** All options of a pooling layer, `poolSize` included (the options-object form of the constructor). */
export interface PoolingOptions extends PoolingArgs {
  /** Window size (default 2 per spatial dimension). */
  poolSize?: IntOrTuple;
}

/** Base of the max / average pooling layers over 1, 2 or 3 spatial dimensions. */
export abstract class BasePooling extends Layer {
  static override readonly optionKeys: readonly string[] = ['poolSize', 'strides', 'padding', 'dataFormat'];
  /** Number of spatial dimensions. */
  readonly rank: number;
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly dataFormat: DataFormat;
  private readonly mode: 'max' | 'average';

  /**
   * `poolSize` may also be an options object (`MaxPooling2D({ poolSize: [2, 2] })`), the TypeScript
   * spelling of Keras's keyword call `MaxPooling2D(pool_size=(2, 2))`.
   */
  constructor(
    rank: number,
    mode: 'max' | 'average',
    poolSizeOrArgs: IntOrTuple | PoolingOptions,
    moreArgs: PoolingArgs,
  ) {
    const byName = typeof poolSizeOrArgs === 'object' && !Array.isArray(poolSizeOrArgs);
    const args: PoolingArgs = byName ? { ...moreArgs, ...poolSizeOrArgs } : moreArgs;
    const poolSize: IntOrTuple = byName
      ? ((poolSizeOrArgs as PoolingOptions).poolSize ?? 2)
      : (poolSizeOrArgs as IntOrTuple);
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

  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    return tf.tidy(() => {
      let input = x;
      if (this.dataFormat === 'channels_first') {
        input = tf.transpose(x, [0, ...Array.from({ length: this.rank }, (_, i) => i + 2), 1]);
      }
      const output = this.rank === 3 ? this.pool3d(input as tf.Tensor5D) : this.pool2d(input);
      if (this.dataFormat === 'channels_first') {
        return tf.transpose(output, [0, this.rank + 1, ...Array.from({ length: this.rank }, (_, i) => i + 1)]);
      }
      return output;
    });
  }

  /** 1-D (as 2-D over a height of 1) and 2-D pooling of a channels-last tensor. */
  private pool2d(input: tf.Tensor): tf.Tensor {
    const as2d = (this.rank === 1 ? tf.expandDims(input, 1) : input) as tf.Tensor4D;
    const pool: [number, number] = this.rank === 1 ? [1, this.poolSize[0]!] : [this.poolSize[0]!, this.poolSize[1]!];
    const strides: [number, number] = this.rank === 1 ? [1, this.strides[0]!] : [this.strides[0]!, this.strides[1]!];
    const pooled =
      this.mode === 'max'
        ? tf.maxPool(as2d, pool, strides, this.padding)
        : averagePool(as2d, pool, strides, this.padding);
    return this.rank === 1 ? tf.squeeze(pooled, [1]) : pooled;
  }

  /** 3-D pooling of a channels-last tensor. */
  private pool3d(input: tf.Tensor5D): tf.Tensor {
    const pool = this.poolSize as [number, number, number];
    const strides = this.strides as [number, number, number];
    if (this.mode === 'max') return tf.maxPool3d(input, pool, strides, this.padding);
    return averagePool(input, pool, strides, this.padding);
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
 * Average pooling (2-D or 3-D, channels last) where `same` windows average only real input
 * values, as TF/Keras. TF.js 4.22's WASM AvgPool does that in the forward pass but its gradient
 * divides by the full window; so `same` is computed as zero padding + `valid` pooling, rescaled
 * by the fraction of real values in each window (a constant), which differentiates correctly.
 */
function averagePool<T extends tf.Tensor4D | tf.Tensor5D>(
  x: T,
  pool: number[],
  strides: number[],
  padding: 'valid' | 'same',
): T {
  const valid = (t: tf.Tensor): T =>
    (t.rank === 4
      ? tf.avgPool(t as tf.Tensor4D, pool as [number, number], strides as [number, number], 'valid')
      : tf.avgPool3d(
          t as tf.Tensor5D,
          pool as [number, number, number],
          strides as [number, number, number],
          'valid',
        )) as T;
  if (padding === 'valid') return valid(x);
  const padded = padSame(x, pool, strides);
  if (padded === x) return valid(x);
  const ones = tf.ones([1, ...x.shape.slice(1, -1), 1]);
  return tf.div(valid(padded), valid(padSame(ones, pool, strides)));
}

/**
 * The shared implementation of `ZeroPadding2D` and `ZeroPadding3D`: zeros before and after
 * each spatial axis of a channels-last or channels-first input.
 */
import * as tf from '@tensorflow/tfjs-core';
import { standardizeDataFormat, type DataFormat } from '../../engine/image-data-format.js';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { standardizeSpatialPairs, type SpatialArg } from './tuple-args.js';

/** Options of the N-D zero-padding layers. */
export interface ZeroPaddingArgs extends LayerArgs {
  /** `p`, one int per spatial axis (symmetric), or `[start, end]` per spatial axis [1 everywhere]. */
  padding?: SpatialArg;
  /** Input layout [global `imageDataFormat()`]. */
  dataFormat?: DataFormat | null;
}

/** Zero padding of `rank` spatial axes (batch, spatial..., channels for channels_last). */
export abstract class ZeroPaddingND extends Layer {
  static override readonly optionKeys: readonly string[] = ['padding', 'dataFormat'];
  /** `[start, end]` per spatial axis. */
  readonly padding: [number, number][];
  readonly dataFormat: DataFormat;

  protected constructor(rank: number, args: ZeroPaddingArgs) {
    super(args);
    const where = `Layer "${this.name}" (${this.className})`;
    this.dataFormat = standardizeDataFormat(args.dataFormat, where);
    this.padding = standardizeSpatialPairs(args.padding ?? 1, rank, 'padding', where);
    this.inputSpec = { ndim: rank + 2 };
  }

  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    const none: [number, number] = [0, 0];
    const pads = this.dataFormat === 'channels_first' ? [none, none, ...this.padding] : [none, ...this.padding, none];
    return tf.tidy(() => tf.pad(x, pads));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), padding: this.padding.map((p) => [...p]), dataFormat: this.dataFormat };
  }
}

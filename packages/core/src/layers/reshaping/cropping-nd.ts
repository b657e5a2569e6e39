/**
 * The shared implementation of `Cropping2D` and `Cropping3D`: removes entries at both ends
 * of each spatial axis of a channels-last or channels-first input.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import { standardizeDataFormat, type DataFormat } from '../../engine/image-data-format.js';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { formatShape, singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { standardizeSpatialPairs, type SpatialArg } from './tuple-args.js';
import { InputShapeError } from '../../utils/errors.js';

/** Options of the N-D cropping layers. */
export interface CroppingArgs extends LayerArgs {
  /** `c`, one int per spatial axis (symmetric), or `[start, end]` per spatial axis. */
  cropping?: SpatialArg;
  /** Input layout [global `imageDataFormat()`]. */
  dataFormat?: DataFormat | null;
}

/** Cropping of `rank` spatial axes. */
export abstract class CroppingND extends Layer {
  static override readonly optionKeys: readonly string[] = ['cropping', 'dataFormat'];
  /** `[start, end]` per spatial axis. */
  readonly cropping: [number, number][];
  readonly dataFormat: DataFormat;

  protected constructor(rank: number, args: CroppingArgs, defaultCropping: number) {
    super(args);
    const where = `Layer "${this.name}" (${this.className})`;
    this.dataFormat = standardizeDataFormat(args.dataFormat, where);
    this.cropping = standardizeSpatialPairs(args.cropping ?? defaultCropping, rank, 'cropping', where);
    this.inputSpec = { ndim: rank + 2 };
  }

  private spatialAxes(): number[] {
    const first = this.dataFormat === 'channels_first' ? 2 : 1;
    return this.cropping.map((_, i) => first + i);
  }

  private check(shape: Shape): void {
    this.spatialAxes().forEach((axis, i) => {
      const size = shape[axis];
      const [a, b] = this.cropping[i]!;
      if (size !== null && size !== undefined && a + b >= size) {
        throw new InputShapeError(
          `Layer "${this.name}" (${this.className}): cropping ${JSON.stringify(this.cropping)} must be smaller than the ` +
            `spatial dimensions of the input; input shape ${formatShape(shape)} (${this.dataFormat})`,
        );
      }
    });
  }

  override build(inputShape: Shape): void {
    this.check(inputShape);
  }

  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    this.check(x.shape);
    const begin = new Array<number>(x.rank).fill(0);
    const size = new Array<number>(x.rank).fill(-1);
    this.spatialAxes().forEach((axis, i) => {
      const [a, b] = this.cropping[i]!;
      begin[axis] = a;
      size[axis] = x.shape[axis]! - a - b;
    });
    return tf.tidy(() => tf.slice(x, begin, size));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), cropping: this.cropping.map((p) => [...p]), dataFormat: this.dataFormat };
  }
}

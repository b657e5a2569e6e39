/**
 * `Cropping2D`: removes rows and columns at the borders of an image, as `keras.layers.Cropping2D`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@strata/graph';
import { standardizeDataFormat, type DataFormat } from '../../engine/image-data-format.js';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { formatShape, singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { standardizeSpatial2D, type PairOfPairs, type Spatial2DArg } from './tuple-args.js';

/** Options of {@link Cropping2D}. */
export interface Cropping2DArgs extends LayerArgs {
  /** `c`, `[h, w]` (symmetric) or `[[top, bottom], [left, right]]` [`[[0, 0], [0, 0]]`]. */
  cropping?: Spatial2DArg;
  /** Input layout [global `imageDataFormat()`]. */
  dataFormat?: DataFormat | null;
}

/** Crops the two spatial axes of a 4-D input. */
export class Cropping2D extends Layer {
  static override readonly className = 'Cropping2D';
  readonly cropping: PairOfPairs;
  readonly dataFormat: DataFormat;

  constructor(args: Cropping2DArgs = {}) {
    super(args);
    const where = `Layer "${this.name}" (Cropping2D)`;
    this.dataFormat = standardizeDataFormat(args.dataFormat, where);
    this.cropping = standardizeSpatial2D(args.cropping ?? [[0, 0], [0, 0]], 'cropping', where);
    this.inputSpec = { ndim: 4 };
  }

  private spatialAxes(): [number, number] {
    return this.dataFormat === 'channels_first' ? [2, 3] : [1, 2];
  }

  private check(shape: Shape): void {
    this.spatialAxes().forEach((axis, i) => {
      const size = shape[axis];
      const [a, b] = this.cropping[i]!;
      if (size !== null && size !== undefined && a + b >= size) {
        throw new Error(
          `Layer "${this.name}" (Cropping2D): cropping ${JSON.stringify(this.cropping)} must be smaller than the ` +
            `spatial dimensions of the input; input shape ${formatShape(shape)} (${this.dataFormat})`,
        );
      }
    });
  }

  override build(inputShape: Shape): void {
    this.check(inputShape);
  }

  call(inputs: TensorOrList, context: CallContext): tf.Tensor {
    void context;
    const x = singleInput(inputs, this.name);
    this.check(x.shape);
    const begin = [0, 0, 0, 0];
    const size = [-1, -1, -1, -1];
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
registerLayer(Cropping2D);

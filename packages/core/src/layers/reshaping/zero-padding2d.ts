/**
 * `ZeroPadding2D`: pads the rows and columns of an image with zeros, as `keras.layers.ZeroPadding2D`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { standardizeDataFormat, type DataFormat } from '../../engine/image-data-format.js';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { standardizeSpatial2D, type PairOfPairs, type Spatial2DArg } from './tuple-args.js';

/** Options of {@link ZeroPadding2D}. */
export interface ZeroPadding2DArgs extends LayerArgs {
  /** `p`, `[h, w]` (symmetric) or `[[top, bottom], [left, right]]` [`[1, 1]`]. */
  padding?: Spatial2DArg;
  /** Input layout [global `imageDataFormat()`]. */
  dataFormat?: DataFormat | null;
}

/** Adds rows of zeros at the top and bottom and columns at the left and right of a 4-D input. */
export class ZeroPadding2D extends Layer {
  static override readonly className = 'ZeroPadding2D';
  readonly padding: PairOfPairs;
  readonly dataFormat: DataFormat;

  constructor(args: ZeroPadding2DArgs = {}) {
    super(args);
    const where = `Layer "${this.name}" (ZeroPadding2D)`;
    this.dataFormat = standardizeDataFormat(args.dataFormat, where);
    this.padding = standardizeSpatial2D(args.padding ?? [1, 1], 'padding', where);
    this.inputSpec = { ndim: 4 };
  }

  call(inputs: TensorOrList, context: CallContext): tf.Tensor {
    void context;
    const x = singleInput(inputs, this.name);
    const [h, w] = this.padding;
    const pads: [number, number][] = this.dataFormat === 'channels_first' ? [[0, 0], [0, 0], h, w] : [[0, 0], h, w, [0, 0]];
    return tf.tidy(() => tf.pad(x, pads));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), padding: this.padding.map((p) => [...p]), dataFormat: this.dataFormat };
  }
}
registerLayer(ZeroPadding2D);

/**
 * `UpSampling3D`: repeats the entries of a volume along its spatial axes, as `keras.layers.UpSampling3D`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { standardizeDataFormat, type DataFormat } from '../../engine/image-data-format.js';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { repeatAlongAxis } from './repeat-axis.js';
import { ConfigurationError } from '../../utils/errors.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of {@link UpSampling3D}. */
export interface UpSampling3DArgs extends LayerArgs {
  /** Factors for the three spatial axes: `s` or `[d1, d2, d3]` [`[2, 2, 2]`]. */
  size?: number | readonly number[];
  /** Input layout [global `imageDataFormat()`]. */
  dataFormat?: DataFormat | null;
}

/** `(batch, d1, d2, d3, c)` → `(batch, d1 * s1, d2 * s2, d3 * s3, c)` (channels_last), nearest neighbour. */
export class UpSampling3D extends Layer {
  static override readonly className: string = 'UpSampling3D';
  static override readonly optionKeys: readonly string[] = ['size', 'dataFormat'];
  readonly size: [number, number, number];
  readonly dataFormat: DataFormat;

  constructor(size?: UpSampling3DArgs['size'], dataFormat?: UpSampling3DArgs['dataFormat'], args?: UpSampling3DArgs);
  constructor(size?: UpSampling3DArgs['size'], args?: UpSampling3DArgs);
  constructor(args?: UpSampling3DArgs);
  constructor(...params: unknown[]) {
    const args = layerArgs<UpSampling3DArgs>(new.target, params, ['size', 'dataFormat']);
    super(args);
    const where = `Layer "${this.name}" (UpSampling3D)`;
    this.dataFormat = standardizeDataFormat(args.dataFormat, where);
    const size = args.size ?? [2, 2, 2];
    const list = typeof size === 'number' ? [size, size, size] : [...size];
    if (list.length !== 3 || !list.every((s) => Number.isInteger(s) && s > 0)) {
      throw new ConfigurationError(
        `${where}: size must be a positive integer or a list of 3 positive integers, got ${JSON.stringify(size)}`,
      );
    }
    this.size = list as [number, number, number];
    this.inputSpec = { ndim: 5 };
  }

  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    const first = this.dataFormat === 'channels_first' ? 2 : 1;
    return tf.tidy(() => this.size.reduce((out, factor, i) => repeatAlongAxis(out, first + i, factor), x));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), size: [...this.size], dataFormat: this.dataFormat };
  }
}
registerLayer(UpSampling3D);

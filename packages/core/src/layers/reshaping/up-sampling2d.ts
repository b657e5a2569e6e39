/**
 * `UpSampling2D`: enlarges an image by integer factors, as `keras.layers.UpSampling2D`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { standardizeDataFormat, type DataFormat } from '../../engine/image-data-format.js';
import { Layer, type CallContext, type LayerArgs, type LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { singleInput, type TensorOrList } from '../../engine/shape-utils.js';
import { bilinearAlongAxis, repeatAlongAxis } from './repeat-axis.js';
import { standardizePair, type IntOrPair } from './tuple-args.js';
import { ConfigurationError } from '../../utils/errors.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Interpolations Strata implements (Keras also names bicubic, lanczos3, lanczos5 and area). */
export const UPSAMPLING_INTERPOLATIONS = ['nearest', 'bilinear'] as const;

/** An interpolation of {@link UpSampling2D}. */
export type UpSamplingInterpolation = (typeof UPSAMPLING_INTERPOLATIONS)[number];

/** Options of {@link UpSampling2D}. */
export interface UpSampling2DArgs extends LayerArgs {
  /** Factors for rows and columns: `s` or `[rows, cols]` [`[2, 2]`]. */
  size?: IntOrPair;
  /** Input layout [global `imageDataFormat()`]. */
  dataFormat?: DataFormat | null;
  /** `nearest` (repeat pixels) or `bilinear` (half-pixel centers, as Keras's image resize) [`nearest`]. */
  interpolation?: UpSamplingInterpolation;
}

/** `(batch, h, w, c)` → `(batch, h * rows, w * cols, c)` (channels_last). */
export class UpSampling2D extends Layer {
  static override readonly className: string = 'UpSampling2D';
  static override readonly optionKeys: readonly string[] = ['size', 'dataFormat', 'interpolation'];
  readonly size: [number, number];
  readonly dataFormat: DataFormat;
  readonly interpolation: UpSamplingInterpolation;

  constructor(size?: UpSampling2DArgs['size'], dataFormat?: UpSampling2DArgs['dataFormat'], args?: UpSampling2DArgs);
  constructor(size?: UpSampling2DArgs['size'], args?: UpSampling2DArgs);
  constructor(args?: UpSampling2DArgs);
  constructor(...params: unknown[]) {
    const args = layerArgs<UpSampling2DArgs>(new.target, params, ['size', 'dataFormat']);
    super(args);
    const where = `Layer "${this.name}" (UpSampling2D)`;
    this.dataFormat = standardizeDataFormat(args.dataFormat, where);
    this.size = standardizePair(args.size ?? [2, 2], 'size', where, false);
    const interpolation = String(args.interpolation ?? 'nearest').toLowerCase();
    if (!(UPSAMPLING_INTERPOLATIONS as readonly string[]).includes(interpolation)) {
      throw new ConfigurationError(
        `${where}: interpolation "${interpolation}" is not supported; valid choices: ${UPSAMPLING_INTERPOLATIONS.join(', ')}`,
      );
    }
    this.interpolation = interpolation as UpSamplingInterpolation;
    this.inputSpec = { ndim: 4 };
  }

  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    const [rows, cols] = this.size;
    return tf.tidy(() => {
      const channelsFirst = this.dataFormat === 'channels_first';
      const input = channelsFirst ? tf.transpose(x, [0, 2, 3, 1]) : x;
      // Both are separable: rows first, then columns.
      const resize = this.interpolation === 'nearest' ? repeatAlongAxis : bilinearAlongAxis;
      const out = resize(resize(input, 1, rows), 2, cols);
      return channelsFirst ? tf.transpose(out, [0, 3, 1, 2]) : out;
    });
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      size: [...this.size],
      dataFormat: this.dataFormat,
      interpolation: this.interpolation,
    };
  }
}
registerLayer(UpSampling2D);

/**
 * `SpatialDropout1D/2D/3D`, as Keras 3: dropout of whole feature maps — one mask entry
 * per (sample, channel), shared over every spatial position (Tompson et al., 2015).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { standardizeDataFormat, type DataFormat } from '../../engine/image-data-format.js';
import type { LayerConfig } from '../../engine/layer.js';
import { registerLayer } from '../../engine/registry.js';
import { Dropout } from './dropout.js';
import { layerArgs } from '../../engine/layer-options.js';

/** Options of the spatial dropout layers (Keras takes only these: no `noiseShape`). */
export interface SpatialDropoutArgs {
  seed?: number | null;
  name?: string;
  dtype?: string | { className?: string; config?: { name?: string } };
}

/** Options of {@link SpatialDropout2D} and {@link SpatialDropout3D}. */
export interface SpatialDropoutNDArgs extends SpatialDropoutArgs {
  /** `channels_last` (default: Keras's global image data format) or `channels_first`. */
  dataFormat?: DataFormat | null;
}

/** Shared behaviour: a noise shape that keeps batch and channel axes and is 1 elsewhere. */
abstract class BaseSpatialDropout extends Dropout {
  /** Where the channels are. */
  abstract readonly dataFormat: DataFormat;

  protected override noiseShapeFor(x: tf.Tensor): number[] {
    const channelAxis = this.dataFormat === 'channels_first' ? 1 : x.rank - 1;
    return x.shape.map((d, axis) => (axis === 0 || axis === channelAxis ? d : 1));
  }

  /** Keras's spatial get_config has only rate, seed, name and dtype (+ data_format). */
  override getConfig(): LayerConfig {
    // As Keras's BaseSpatialDropout.get_config: no `trainable`, and `dtype` as the plain name.
    return { rate: this.rate, seed: this.seed, name: this.name, dtype: this.dtype };
  }
}

/** Drops entire 1D feature maps: input `(batch, steps, channels)`, mask `(batch, 1, channels)`. */
export class SpatialDropout1D extends BaseSpatialDropout {
  static override readonly className: string = 'SpatialDropout1D';
  static override readonly optionKeys: readonly string[] = [];
  readonly dataFormat: DataFormat = 'channels_last';
  constructor(rate: number, args?: SpatialDropoutArgs);
  constructor(args: SpatialDropoutArgs & { rate: number });
  constructor(...params: unknown[]) {
    const { rate, ...args } = layerArgs<SpatialDropoutArgs & { rate: number }>(new.target, params, ['rate']);
    super(rate, { seed: args.seed, name: args.name, dtype: args.dtype });
    this.inputSpec = { ndim: 3 };
  }
  static override fromConfig(config: LayerConfig): SpatialDropout1D {
    return new SpatialDropout1D(config['rate'] as number, config as SpatialDropoutArgs);
  }
}

/** Spatial dropout over image-like inputs, where the channel axis depends on `dataFormat`. */
abstract class ImageSpatialDropout extends BaseSpatialDropout {
  static override readonly optionKeys: readonly string[] = ['dataFormat'];
  readonly dataFormat: DataFormat;
  protected constructor(rate: number, args: SpatialDropoutNDArgs, ndim: number) {
    super(rate, { seed: args.seed, name: args.name, dtype: args.dtype });
    this.dataFormat = standardizeDataFormat(args.dataFormat, `${this.className} "${this.name}"`);
    this.inputSpec = { ndim };
  }
  override getConfig(): LayerConfig {
    return { ...super.getConfig(), dataFormat: this.dataFormat };
  }
}

/** Drops entire 2D feature maps: mask `(batch, 1, 1, channels)` or `(batch, channels, 1, 1)`. */
export class SpatialDropout2D extends ImageSpatialDropout {
  static override readonly className: string = 'SpatialDropout2D';
  static override readonly optionKeys: readonly string[] = [];
  constructor(rate: number, dataFormat?: SpatialDropoutNDArgs['dataFormat'], args?: SpatialDropoutNDArgs);
  constructor(rate: number, args?: SpatialDropoutNDArgs);
  constructor(args: SpatialDropoutNDArgs & { rate: number });
  constructor(...params: unknown[]) {
    const { rate, ...args } = layerArgs<SpatialDropoutNDArgs & { rate: number }>(new.target, params, [
      'rate',
      'dataFormat',
    ]);
    super(rate, args, 4);
  }
  static override fromConfig(config: LayerConfig): SpatialDropout2D {
    return new SpatialDropout2D(config['rate'] as number, config as SpatialDropoutNDArgs);
  }
}

/** Drops entire 3D feature maps: mask `(batch, 1, 1, 1, channels)` or `(batch, channels, 1, 1, 1)`. */
export class SpatialDropout3D extends ImageSpatialDropout {
  static override readonly className: string = 'SpatialDropout3D';
  static override readonly optionKeys: readonly string[] = [];
  constructor(rate: number, dataFormat?: SpatialDropoutNDArgs['dataFormat'], args?: SpatialDropoutNDArgs);
  constructor(rate: number, args?: SpatialDropoutNDArgs);
  constructor(args: SpatialDropoutNDArgs & { rate: number });
  constructor(...params: unknown[]) {
    const { rate, ...args } = layerArgs<SpatialDropoutNDArgs & { rate: number }>(new.target, params, [
      'rate',
      'dataFormat',
    ]);
    super(rate, args, 5);
  }
  static override fromConfig(config: LayerConfig): SpatialDropout3D {
    return new SpatialDropout3D(config['rate'] as number, config as SpatialDropoutNDArgs);
  }
}

registerLayer(SpatialDropout1D);
registerLayer(SpatialDropout2D);
registerLayer(SpatialDropout3D);

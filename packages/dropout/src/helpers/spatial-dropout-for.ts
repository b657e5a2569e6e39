/**
 * `spatialDropoutFor(conv | {rank, dataFormat}, rate)`: the spatial dropout layer that matches a
 * convolution's rank and data format (Tompson et al. 2015: drop whole feature maps, because
 * neighbouring activations of a feature map are strongly correlated).
 */
import { Layer, layers, standardizeDataFormat, type DataFormat } from '../core-api.js';

/** A spatial rank and where the channels are. */
export interface RankAndFormat {
  /** Spatial rank: 1 (sequences), 2 (images) or 3 (volumes). */
  rank: number;
  /** Default: Keras's global image data format. */
  dataFormat?: DataFormat | null;
}

/** Options of {@link spatialDropoutFor}. */
export interface SpatialDropoutForOptions {
  seed?: number | null;
  name?: string;
}

/** The layers {@link spatialDropoutFor} returns. */
export type SpatialDropoutLayer = InstanceType<
  | typeof layers.SpatialDropout1D
  | typeof layers.SpatialDropout2D
  | typeof layers.SpatialDropout3D
  | typeof layers.Dropout
>;

const RANK_IN_NAME = /([123])D(?:Transpose)?$/;

/**
 * Rank and data format of a convolution-like layer: `BaseConv` subclasses carry them; other
 * layers (pooling, cropping, padding, custom convs) are read from their class name (`…2D`)
 * and their `dataFormat` config.
 */
export function convRankAndFormat(layer: Layer): { rank: number; dataFormat: DataFormat } | null {
  if (layer instanceof layers.BaseConv) return { rank: layer.rank, dataFormat: layer.dataFormat };
  const match = RANK_IN_NAME.exec(layer.className);
  if (match === null) return null;
  const format = layer.getConfig()['dataFormat'];
  return {
    rank: Number(match[1]),
    dataFormat: standardizeDataFormat(typeof format === 'string' ? format : null, `Layer "${layer.name}"`),
  };
}

/**
 * The spatial dropout for the output of a convolution (or a given rank and format):
 * `SpatialDropout1D` / `SpatialDropout2D` / `SpatialDropout3D` with the conv's `dataFormat`.
 * Keras's `SpatialDropout1D` only knows channels-last; for a channels-first 1D conv the
 * equivalent `Dropout({noiseShape: [null, null, 1]})` (one draw per sample and channel) is returned.
 *
 * @throws when the rank is not 1, 2 or 3, or the layer is not convolution-like
 */
export function spatialDropoutFor(
  target: Layer | RankAndFormat | number,
  rate: number,
  options: SpatialDropoutForOptions = {},
): SpatialDropoutLayer {
  let rank: number;
  let dataFormat: DataFormat;
  if (target instanceof Layer) {
    const found = convRankAndFormat(target);
    if (found === null) {
      throw new Error(
        `spatialDropoutFor: layer "${target.name}" (${target.className}) is not convolution-like; ` +
          'give a Conv1D/2D/3D (or a pooling/cropping/padding layer of known rank) or {rank, dataFormat}',
      );
    }
    ({ rank, dataFormat } = found);
  } else if (typeof target === 'number') {
    rank = target;
    dataFormat = standardizeDataFormat(null, 'spatialDropoutFor');
  } else {
    rank = target.rank;
    dataFormat = standardizeDataFormat(target.dataFormat, 'spatialDropoutFor');
  }
  const args = { seed: options.seed ?? null, name: options.name };
  switch (rank) {
    case 1:
      return dataFormat === 'channels_first'
        ? new layers.Dropout(rate, { ...args, noiseShape: [null, null, 1] })
        : new layers.SpatialDropout1D(rate, args);
    case 2:
      return new layers.SpatialDropout2D(rate, { ...args, dataFormat });
    case 3:
      return new layers.SpatialDropout3D(rate, { ...args, dataFormat });
    default:
      throw new Error(`spatialDropoutFor: invalid spatial rank ${String(rank)}; valid choices: 1, 2, 3`);
  }
}

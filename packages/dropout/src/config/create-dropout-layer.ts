/**
 * `createDropoutLayer(config, context)`: the layer a {@link DropoutConfig} describes, fitted to
 * where it goes (the spatial rank and data format of a conv, the Dense a DropConnect replaces,
 * the RNN whose rates are set).
 */
import { Layer, layers, type DataFormat } from '../core-api.js';
import { spatialDropoutFor } from '../helpers/spatial-dropout-for.js';
import { setRecurrentDropout } from '../helpers/set-recurrent-dropout.js';
import { DropBlock2D } from '../layers/drop-block-2d.js';
import { DropConnectDense } from '../layers/drop-connect-dense.js';
import { StochasticDepth } from '../layers/stochastic-depth.js';
import { parseDropoutConfig, type DropoutConfig } from './dropout-config.js';

/** Where the new layer goes. */
export interface DropoutLayerContext {
  /** Name of the new layer (default: Keras-style automatic name). */
  name?: string;
  /** Rank of the tensor it acts on, batch included (spatial: 3 → 1D, 4 → 2D, 5 → 3D). */
  inputRank?: number;
  /** Data format of that tensor, when the config does not say. */
  dataFormat?: DataFormat;
  /**
   * The layer being regularised: a conv (gives `spatial` its rank and format), the `Dense`
   * that `dropconnect` replaces (options and weights are carried over), or the RNN whose rates
   * `recurrent` sets (a rebuilt copy with the same weights is returned).
   */
  target?: Layer;
  /** Output units of a new `DropConnectDense` when no `target` Dense is given. */
  units?: number;
}

/**
 * Builds the layer for a config (validated first): `standard` → `Dropout`, `spatial` →
 * `SpatialDropout1D/2D/3D`, `gaussian` → `GaussianDropout`, `alpha` → `AlphaDropout`,
 * `dropblock` → `DropBlock2D`, `droppath` → `StochasticDepth`, `dropconnect` →
 * `DropConnectDense`, `recurrent` → a copy of `context.target` with the new RNN rates.
 *
 * @throws when the context lacks what the kind needs (rank, target RNN, units), naming it
 */
export function createDropoutLayer(config: DropoutConfig, context: DropoutLayerContext = {}): Layer {
  const valid = parseDropoutConfig(config);
  const name = context.name;
  const seed = 'seed' in valid ? (valid.seed ?? null) : null;
  switch (valid.kind) {
    case 'standard':
      return new layers.Dropout(valid.rate, { name, seed, noiseShape: valid.noiseShape ?? null });
    case 'gaussian':
      return new layers.GaussianDropout(valid.rate, { name, seed });
    case 'alpha':
      return new layers.AlphaDropout(valid.rate, { name, seed });
    case 'droppath':
      return new StochasticDepth(valid.rate, { name, seed });
    case 'dropblock':
      return new DropBlock2D(valid.rate, {
        name,
        seed,
        blockSize: valid.blockSize,
        dataFormat: valid.dataFormat ?? context.dataFormat ?? null,
      });
    case 'spatial': {
      const format = valid.dataFormat ?? context.dataFormat;
      if (valid.rank !== undefined)
        return spatialDropoutFor({ rank: valid.rank, dataFormat: format }, valid.rate, { name, seed });
      if (context.target !== undefined) {
        const layer = spatialDropoutFor(context.target, valid.rate, { name, seed });
        return valid.dataFormat === undefined
          ? layer
          : spatialDropoutFor({ rank: rankOf(layer), dataFormat: format }, valid.rate, { name, seed });
      }
      if (context.inputRank !== undefined)
        return spatialDropoutFor({ rank: context.inputRank - 2, dataFormat: format }, valid.rate, { name, seed });
      throw new Error(
        'createDropoutLayer: a "spatial" config without "rank" needs context.target (a conv) or context.inputRank',
      );
    }
    case 'dropconnect': {
      const target = context.target;
      if (target instanceof layers.Dense) {
        const { name: targetName, ...options } = target.getConfig();
        const layer = new DropConnectDense(target.units, {
          ...options,
          name: name ?? (targetName as string),
          rate: valid.rate,
          seed,
        });
        if (target.built && target.builtInputShape !== null) {
          layer.maybeBuild(target.builtInputShape);
          const values = target.getWeights();
          layer.setWeights(values);
          for (const v of values) v.dispose();
        }
        return layer;
      }
      if (target !== undefined)
        throw new Error(
          `createDropoutLayer: "dropconnect" replaces a Dense layer; context.target "${target.name}" is a ${target.className}`,
        );
      if (context.units === undefined)
        throw new Error(
          'createDropoutLayer: a "dropconnect" config needs context.target (the Dense it replaces) or context.units',
        );
      return new DropConnectDense(context.units, { name, rate: valid.rate, seed });
    }
    case 'recurrent': {
      if (context.target === undefined) {
        throw new Error(
          'createDropoutLayer: a "recurrent" config sets the rates of an RNN layer; give it as context.target',
        );
      }
      return setRecurrentDropout(context.target, {
        dropout: valid.inputRate,
        recurrentDropout: valid.recurrentRate,
        ...(valid.seed !== undefined ? { seed: valid.seed } : {}),
      });
    }
  }
}

function rankOf(layer: Layer): number {
  if (layer instanceof layers.SpatialDropout3D) return 3;
  if (layer instanceof layers.SpatialDropout2D) return 2;
  return 1;
}

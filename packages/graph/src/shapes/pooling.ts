/** Shape rules for pooling layers (Keras `layers/pooling`). */
import type { Shape } from '../ir.js';
import {
  axesDescription,
  configBool,
  configIntTuple,
  configString,
  expectRank,
  joinChannels,
  shapeError,
  singleInput,
  spatialNames,
  splitChannels,
  type LayerCall,
  type ShapeRule,
} from './call.js';
import { formatShape } from './errors.js';

/**
 * Output length of a pooling window (Keras `compute_pooling_output_shape`):
 * `valid`: floor((in - pool) / stride) + 1; `same`: floor((in - 1) / stride) + 1.
 */
export function poolOutputLength(input: number | null, pool: number, stride: number, padding: string): number | null {
  if (input === null) return null;
  return padding === 'valid' ? Math.floor((input - pool) / stride) + 1 : Math.floor((input - 1) / stride) + 1;
}

function poolingRule(rank: number): ShapeRule {
  return (call: LayerCall): Shape[] => {
    const input = singleInput(call);
    expectRank(call, input, rank + 2, axesDescription(call, spatialNames(rank)));
    const pool = configIntTuple(call, 'pool_size', rank, Array(rank).fill(2));
    // Keras: strides default to pool_size.
    const strides = configIntTuple(call, 'strides', rank, pool);
    const padding = configString(call, 'padding', ['valid', 'same'], 'valid');
    const { batch, spatial, channels } = splitChannels(call, input);
    const out = spatial.map((dim, i) => poolOutputLength(dim, pool[i] as number, strides[i] as number, padding));
    if (out.some((dim) => dim !== null && dim <= 0)) {
      throw shapeError(
        call,
        `computed output size would be zero or negative: input shape ${formatShape(input)}, pool_size ${JSON.stringify(pool)}, ` +
          `strides ${JSON.stringify(strides)}, padding "${padding}"`,
      );
    }
    return [joinChannels(call, batch, out, channels)];
  };
}

/** Global pooling: `(batch, channels)`, or with `keepdims` every spatial dim becomes 1. */
function globalPoolingRule(rank: number): ShapeRule {
  return (call: LayerCall): Shape[] => {
    const input = singleInput(call);
    expectRank(call, input, rank + 2, axesDescription(call, spatialNames(rank)));
    const { batch, spatial, channels } = splitChannels(call, input);
    if (configBool(call, 'keepdims', false))
      return [
        joinChannels(
          call,
          batch,
          spatial.map(() => 1),
          channels,
        ),
      ];
    return [[batch, channels]];
  };
}

export const poolingRules: Record<string, ShapeRule> = {
  MaxPooling1D: poolingRule(1),
  MaxPooling2D: poolingRule(2),
  MaxPooling3D: poolingRule(3),
  AveragePooling1D: poolingRule(1),
  AveragePooling2D: poolingRule(2),
  AveragePooling3D: poolingRule(3),
  GlobalAveragePooling1D: globalPoolingRule(1),
  GlobalAveragePooling2D: globalPoolingRule(2),
  GlobalAveragePooling3D: globalPoolingRule(3),
  GlobalMaxPooling1D: globalPoolingRule(1),
  GlobalMaxPooling2D: globalPoolingRule(2),
  GlobalMaxPooling3D: globalPoolingRule(3),
  // Keras 2 aliases.
  MaxPool1D: poolingRule(1),
  MaxPool2D: poolingRule(2),
  MaxPool3D: poolingRule(3),
  AvgPool1D: poolingRule(1),
  AvgPool2D: poolingRule(2),
  AvgPool3D: poolingRule(3),
  GlobalAvgPool1D: globalPoolingRule(1),
  GlobalAvgPool2D: globalPoolingRule(2),
  GlobalAvgPool3D: globalPoolingRule(3),
  GlobalMaxPool1D: globalPoolingRule(1),
  GlobalMaxPool2D: globalPoolingRule(2),
  GlobalMaxPool3D: globalPoolingRule(3),
};

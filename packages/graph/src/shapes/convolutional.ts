/** Shape rules for convolution layers (Keras `layers/convolutional`). */
import type { Shape } from '../ir.js';
import {
  axesDescription,
  configInt,
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

type ConvKind = 'conv' | 'transpose' | 'separable' | 'depthwise';

/**
 * Output length of a forward convolution (Keras `compute_conv_output_shape`):
 * `valid`: floor((in - dilation * (kernel - 1) - 1) / stride) + 1;
 * `same` / `causal`: floor((in - 1) / stride) + 1, i.e. ceil(in / stride).
 */
export function convOutputLength(
  input: number | null,
  kernel: number,
  stride: number,
  padding: string,
  dilation: number,
): number | null {
  if (input === null) return null;
  if (padding === 'valid') return Math.floor((input - dilation * (kernel - 1) - 1) / stride) + 1;
  return Math.floor((input - 1) / stride) + 1;
}

/**
 * Output length of a transposed convolution (Keras `_get_output_shape_given_tf_padding`),
 * with the dilated kernel k' = (kernel - 1) * dilation + 1:
 * `valid`: (in - 1) * stride + k' + (output_padding ?? max(k', stride) - k');
 * `same`: in * stride without output_padding, else (in - 1) * stride + k' % 2 + output_padding.
 */
export function convTransposeOutputLength(
  input: number | null,
  kernel: number,
  stride: number,
  padding: string,
  outputPadding: number | null,
  dilation: number,
): number | null {
  if (input === null) return null;
  const dilated = (kernel - 1) * dilation + 1;
  if (padding === 'valid') {
    return (input - 1) * stride + dilated + (outputPadding ?? Math.max(dilated, stride) - dilated);
  }
  return outputPadding === null ? input * stride : (input - 1) * stride + (dilated % 2) + outputPadding;
}

function convRule(rank: number, kind: ConvKind): ShapeRule {
  return (call: LayerCall): Shape[] => {
    const input = singleInput(call);
    expectRank(call, input, rank + 2, axesDescription(call, spatialNames(rank)));
    const kernel = configIntTuple(call, 'kernel_size', rank);
    const strides = configIntTuple(call, 'strides', rank, Array(rank).fill(1));
    const dilation = configIntTuple(call, 'dilation_rate', rank, Array(rank).fill(1));
    const paddings =
      rank === 1 && kind === 'conv' ? (['valid', 'same', 'causal'] as const) : (['valid', 'same'] as const);
    const padding = configString<string>(call, 'padding', paddings, 'valid');
    if (kernel.some((k) => k <= 0) || strides.some((s) => s <= 0)) {
      throw shapeError(
        call,
        `kernel_size ${JSON.stringify(kernel)} and strides ${JSON.stringify(strides)} must be positive`,
      );
    }
    if (Math.max(...strides) > 1 && Math.max(...dilation) > 1) {
      throw shapeError(
        call,
        `strides > 1 is not supported together with dilation_rate > 1 (strides ${JSON.stringify(strides)}, dilation_rate ${JSON.stringify(dilation)})`,
      );
    }
    const { batch, spatial, channels } = splitChannels(call, input);
    if (channels === null) {
      throw shapeError(call, `expected input with a known channels dimension, got shape ${formatShape(input)}`);
    }
    const outputChannels = outputChannelCount(call, kind, channels);

    let outSpatial: (number | null)[];
    if (kind === 'transpose') {
      const outputPadding = call.config['output_padding'] == null ? null : configIntTuple(call, 'output_padding', rank);
      outputPadding?.forEach((op, i) => {
        if (op >= (strides[i] as number)) {
          throw shapeError(
            call,
            `output_padding ${JSON.stringify(outputPadding)} must be strictly less than strides ${JSON.stringify(strides)}`,
          );
        }
      });
      outSpatial = spatial.map((dim, i) =>
        convTransposeOutputLength(
          dim,
          kernel[i] as number,
          strides[i] as number,
          padding,
          outputPadding?.[i] ?? null,
          dilation[i] as number,
        ),
      );
    } else {
      outSpatial = spatial.map((dim, i) =>
        convOutputLength(dim, kernel[i] as number, strides[i] as number, padding, dilation[i] as number),
      );
    }
    if (outSpatial.some((dim) => dim !== null && dim <= 0)) {
      throw shapeError(
        call,
        `computed output size would be zero or negative: input shape ${formatShape(input)}, kernel_size ${JSON.stringify(kernel)}, ` +
          `strides ${JSON.stringify(strides)}, dilation_rate ${JSON.stringify(dilation)}, padding "${padding}"`,
      );
    }
    return [joinChannels(call, batch, outSpatial, outputChannels)];
  };
}

function outputChannelCount(call: LayerCall, kind: ConvKind, channels: number): number {
  if (kind === 'depthwise') return channels * configInt(call, 'depth_multiplier', 1);
  const filters = configInt(call, 'filters');
  if (filters <= 0) throw shapeError(call, `filters must be positive, got ${filters}`);
  if (kind === 'conv') {
    const groups = configInt(call, 'groups', 1);
    if (groups <= 0 || filters % groups !== 0 || channels % groups !== 0) {
      throw shapeError(
        call,
        `expected input channels (${channels}) and filters (${filters}) divisible by groups (${groups})`,
      );
    }
  }
  return filters;
}

export const convolutionalRules: Record<string, ShapeRule> = {
  Conv1D: convRule(1, 'conv'),
  Conv2D: convRule(2, 'conv'),
  Conv3D: convRule(3, 'conv'),
  Conv1DTranspose: convRule(1, 'transpose'),
  Conv2DTranspose: convRule(2, 'transpose'),
  Conv3DTranspose: convRule(3, 'transpose'),
  SeparableConv1D: convRule(1, 'separable'),
  SeparableConv2D: convRule(2, 'separable'),
  DepthwiseConv1D: convRule(1, 'depthwise'),
  DepthwiseConv2D: convRule(2, 'depthwise'),
  // Keras 2 aliases still found in old files.
  Convolution1D: convRule(1, 'conv'),
  Convolution2D: convRule(2, 'conv'),
  Convolution3D: convRule(3, 'conv'),
  Deconvolution2D: convRule(2, 'transpose'),
};

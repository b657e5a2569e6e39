/**
 * The sliding-window geometry the convolution kernels (forward, input and filter gradients, the
 * depthwise ones) read from TF.js's `computeConv2DInfo`, and the checks Strata's replacements share.
 */
import { backend_util } from '@tensorflow/tfjs-core';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { pair } from './wasm-backend.js';

/** TF.js's explicit padding: [[0, 0], [top, bottom], [left, right], [0, 0]]. */
export type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

/** Input / output sizes, filter size, strides, dilations and leading padding of one 2-D window. */
export interface ConvWindow {
  inHeight: number;
  inWidth: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padLeft: number;
}

/** The window fields of a `computeConv2DInfo` result. */
export function convWindowOf(info: backend_util.Conv2DInfo): ConvWindow {
  return {
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

type Shape4 = [number, number, number, number];

/** TF.js's geometry for a kernel's attributes, given the input and filter shapes. */
function infoFor(inputShape: Shape4, filterShape: Shape4, attrs: NamedAttrMap): backend_util.Conv2DInfo {
  return backend_util.computeConv2DInfo(
    inputShape,
    filterShape,
    attrs['strides'] as number | [number, number],
    1,
    attrs['pad'] as 'valid' | 'same' | number,
    attrs['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined,
  );
}

/** The epilogue of a fused convolution Strata's kernels apply: a bias of one value per output channel, a relu. */
export interface ConvEpilogue {
  bias: TensorInfo | null;
  relu: boolean;
}

/**
 * The geometry of a float32, channels-last, undilated Conv2D / FusedConv2D of x by filter (with an
 * optional bias of one value per output channel), or null for anything else.
 */
export function forwardConvInfo(
  x: TensorInfo,
  filter: TensorInfo,
  bias: TensorInfo | null,
  attrs: NamedAttrMap,
): backend_util.Conv2DInfo | null {
  if ((attrs['dataFormat'] ?? 'NHWC') !== 'NHWC' || x.dtype !== 'float32' || filter.dtype !== 'float32') return null;
  if (x.shape.length !== 4 || filter.shape.length !== 4) return null;
  const outChannels = filter.shape[3]!;
  if (bias !== null && (bias.dtype !== 'float32' || bias.shape.reduce((a, b) => a * b, 1) !== outChannels)) return null;
  const dilations = pair(attrs['dilations'] as number | [number, number] | undefined, 1);
  if (dilations[0] !== 1 || dilations[1] !== 1) return null;
  return infoFor(x.shape as Shape4, filter.shape as Shape4, attrs);
}

/** The geometry of a float32, channels-last Conv2DBackpropInput (dy by filter, attrs with `inputShape`), or null. */
export function inputGradientInfo(
  dy: TensorInfo,
  filter: TensorInfo,
  attrs: NamedAttrMap,
): backend_util.Conv2DInfo | null {
  if ((attrs['dataFormat'] ?? 'NHWC') !== 'NHWC' || dy.dtype !== 'float32' || filter.dtype !== 'float32') return null;
  return infoFor(attrs['inputShape'] as Shape4, filter.shape as Shape4, attrs);
}

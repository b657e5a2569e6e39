/**
 * The sliding-window geometry both convolution-gradient kernels (Conv2DBackpropFilter and the
 * depthwise ones) read from TF.js's `computeConv2DInfo`.
 */
import type { backend_util } from '@tensorflow/tfjs-core';

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

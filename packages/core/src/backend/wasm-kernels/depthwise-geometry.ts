/**
 * Shared geometry for the depthwise-convolution gradient kernels (NHWC only, as in TF.js).
 */
import { backend_util, util } from '@tensorflow/tfjs-core';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import { pair } from './wasm-backend.js';

type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

/** Sizes, strides and padding of one depthwise convolution. */
export interface DepthwiseGeometry {
  batchSize: number;
  inHeight: number;
  inWidth: number;
  channels: number;
  multiplier: number;
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

/**
 * Computes the geometry from the kernel attrs and checks that dy has the forward output shape.
 * `kernelName` names the kernel in error messages.
 */
export function depthwiseGeometry(
  kernelName: string,
  inputShape: number[],
  filterShape: number[],
  dyShape: number[],
  attrs: NamedAttrMap,
): DepthwiseGeometry {
  if (inputShape.length !== 4 || filterShape.length !== 4 || dyShape.length !== 4) {
    throw new Error(
      `${kernelName}: expected rank-4 input [${inputShape.join(', ')}], filter [${filterShape.join(', ')}] ` +
        `and dy [${dyShape.join(', ')}] (NHWC).`,
    );
  }
  const dataFormat = attrs['dataFormat'];
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new Error(`${kernelName}: only dataFormat 'NHWC' is supported, got '${String(dataFormat)}'.`);
  }
  if (inputShape[3] !== filterShape[2]) {
    throw new Error(
      `${kernelName}: input channels (${inputShape[3]}) must equal filter dim 2 (${filterShape[2]}).`,
    );
  }
  const info = backend_util.computeConv2DInfo(
    inputShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs['strides'] as number | [number, number],
    pair(attrs['dilations'] as number | [number, number] | undefined, 1),
    attrs['pad'] as 'valid' | 'same' | number | ExplicitPadding,
    attrs['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined,
    true,
  );
  const expectedDy = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
  if (!util.arraysEqual(dyShape, expectedDy)) {
    throw new Error(
      `${kernelName}: dy must have shape [${expectedDy.join(', ')}] for input [${inputShape.join(', ')}] and ` +
        `filter [${filterShape.join(', ')}], got [${dyShape.join(', ')}].`,
    );
  }
  return {
    batchSize: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    channels: info.inChannels,
    multiplier: filterShape[3] as number,
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

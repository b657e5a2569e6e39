/**
 * Shared geometry for the depthwise-convolution gradient kernels (NHWC only, as in TF.js).
 */
import { backend_util, util } from '@tensorflow/tfjs-core';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import { convWindowOf, type ConvWindow, type ExplicitPadding } from './conv-window.js';
import { pair } from './wasm-backend.js';

/** Sizes, strides and padding of one depthwise convolution. */
export interface DepthwiseGeometry extends ConvWindow {
  batchSize: number;
  channels: number;
  multiplier: number;
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
    throw new Error(`${kernelName}: input channels (${inputShape[3]}) must equal filter dim 2 (${filterShape[2]}).`);
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
    ...convWindowOf(info),
    batchSize: info.batchSize,
    channels: info.inChannels,
    multiplier: filterShape[3] as number,
  };
}

/**
 * Visits every (dy position, filter tap) pair whose input position lies inside the input, in the
 * order n, oh, kh, ow, kw (rows outermost so the input row is computed once per tap row).
 * `visit` gets the flat offsets of the input pixel's channel 0 (`xBase`), of the dy pixel's
 * channel 0 (`dyBase`) and of the filter tap's channel 0 (`tapBase`); both gradient kernels do
 * their per-channel work there.
 */
export function forEachDepthwiseWindow(
  g: DepthwiseGeometry,
  visit: (xBase: number, dyBase: number, tapBase: number) => void,
): void {
  const outDepth = g.channels * g.multiplier;
  for (let n = 0; n < g.batchSize; n++) {
    for (let oh = 0; oh < g.outHeight; oh++) {
      for (let kh = 0; kh < g.filterHeight; kh++) {
        const ih = oh * g.strideHeight - g.padTop + kh * g.dilationHeight;
        if (ih < 0 || ih >= g.inHeight) continue;
        const xRow = (n * g.inHeight + ih) * g.inWidth;
        for (let ow = 0; ow < g.outWidth; ow++) {
          const dyBase = ((n * g.outHeight + oh) * g.outWidth + ow) * outDepth;
          for (let kw = 0; kw < g.filterWidth; kw++) {
            const iw = ow * g.strideWidth - g.padLeft + kw * g.dilationWidth;
            if (iw < 0 || iw >= g.inWidth) continue;
            visit((xRow + iw) * g.channels, dyBase, (kh * g.filterWidth + kw) * outDepth);
          }
        }
      }
    }
  }
}

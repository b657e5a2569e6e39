/**
 * The window walk of 3-D max pooling (NDHWC), shared by the wasm MaxPool3D/MaxPool3DGrad fix and
 * the cpu MaxPool3DGrad fix: for each output position, the flat input index of each channel's
 * first maximum (TensorFlow's tie rule; a NaN wins so it propagates), starting from -infinity.
 */
import { backend_util } from '@tensorflow/tfjs-core';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';

/** A rank-5 shape. */
export type Shape5 = [number, number, number, number, number];

/** The pooling geometry of a MaxPool3D / MaxPool3DGrad call from its attributes. */
export function poolInfo(shape: number[], attrs: NamedAttrMap): backend_util.Conv3DInfo {
  return backend_util.computePool3DInfo(
    shape as Shape5,
    attrs['filterSize'] as number | [number, number, number],
    attrs['strides'] as number | [number, number, number],
    1,
    attrs['pad'] as 'valid' | 'same' | number,
    attrs['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined,
  );
}

/**
 * Visits every output position with the flat input index of each channel's first maximum
 * (-1 when the window holds no input value, which `valid`/`same` pooling never produces).
 */
export function forEachWindowMax(
  x: Float32Array,
  shape: Shape5,
  info: backend_util.Conv3DInfo,
  visit: (outBase: number, where: Int32Array) => void,
): void {
  const [batch, depth, height, width, channels] = shape;
  const best = new Float32Array(channels);
  const where = new Int32Array(channels);
  const { front, top, left } = info.padInfo;
  let outBase = 0;
  for (let n = 0; n < batch; n++) {
    for (let od = 0; od < info.outDepth; od++) {
      for (let oh = 0; oh < info.outHeight; oh++) {
        for (let ow = 0; ow < info.outWidth; ow++) {
          best.fill(-Infinity);
          where.fill(-1);
          for (let kd = 0; kd < info.filterDepth; kd++) {
            const id = od * info.strideDepth - front + kd;
            if (id < 0 || id >= depth) continue;
            for (let kh = 0; kh < info.filterHeight; kh++) {
              const ih = oh * info.strideHeight - top + kh;
              if (ih < 0 || ih >= height) continue;
              for (let kw = 0; kw < info.filterWidth; kw++) {
                const iw = ow * info.strideWidth - left + kw;
                if (iw < 0 || iw >= width) continue;
                const base = (((n * depth + id) * height + ih) * width + iw) * channels;
                for (let c = 0; c < channels; c++) {
                  const v = x[base + c]!;
                  // Strictly greater keeps the first maximum; a NaN input wins so it propagates.
                  if (v > best[c]! || where[c] === -1 || Number.isNaN(v)) {
                    best[c] = v;
                    where[c] = base + c;
                  }
                }
              }
            }
          }
          visit(outBase, where);
          outBase += channels;
        }
      }
    }
  }
}

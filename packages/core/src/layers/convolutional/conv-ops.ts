/**
 * Channels-last convolution helpers on TF.js ops, written so that gradients exist on every
 * backend: TF.js has no gradients for dilated convolutions, so dilation is applied by
 * spreading the kernel (zeros between taps), which gives the same result.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigurationError } from '../../utils/errors.js';

/**
 * The kernel with `dilation - 1` zeros inserted between taps along each spatial axis
 * (the first `dilation.length` axes). A dilated convolution equals an undilated one with
 * this kernel, including TF's `same` padding (both use the effective size (k - 1) * d + 1).
 */
export function dilateKernel(kernel: tf.Tensor, dilation: readonly number[]): tf.Tensor {
  return spreadAxes(kernel, dilation, 0);
}

/**
 * Inserts `factor - 1` zeros between neighbouring entries along the axes `firstAxis`,
 * `firstAxis + 1`, … (one factor per axis); an axis of size n becomes (n - 1) * factor + 1.
 * Built from pad/reshape/slice, so it differentiates on every backend.
 */
export function spreadAxes(t: tf.Tensor, factors: readonly number[], firstAxis: number): tf.Tensor {
  let out = t;
  factors.forEach((factor, i) => {
    if (factor === 1) return;
    const axis = firstAxis + i;
    const shape = out.shape;
    const size = shape[axis]!;
    // [.., n, ..] → [.., n, 1, ..] → pad to [.., n, f, ..] → [.., n * f, ..] → first (n - 1) * f + 1.
    const expanded = tf.expandDims(out, axis + 1);
    const padding = shape.map((): [number, number] => [0, 0]);
    padding.splice(axis + 1, 0, [0, factor - 1]);
    const spread = tf.reshape(tf.pad(expanded, padding), [
      ...shape.slice(0, axis),
      size * factor,
      ...shape.slice(axis + 1),
    ]);
    out = tf.slice(
      spread,
      shape.map(() => 0),
      shape.map((s, j) => (j === axis ? (size - 1) * factor + 1 : s)),
    );
  });
  return out;
}

/**
 * TensorFlow's `same` padding of one axis: total max((ceil(n / s) - 1) * s + k - n, 0),
 * the smaller half before, the rest after.
 */
export function samePadding(size: number, window: number, stride: number): [number, number] {
  const total = Math.max((Math.ceil(size / stride) - 1) * stride + window - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** Zero-pads the spatial axes of a channels-last tensor as TF's `same` mode would for these windows. */
export function padSame(x: tf.Tensor, windows: readonly number[], strides: readonly number[]): tf.Tensor {
  const spatial = x.shape.slice(1, -1);
  const paddings = spatial.map((n, i) => samePadding(n, windows[i]!, strides[i]!));
  if (paddings.every(([a, b]) => a === 0 && b === 0)) return x;
  return tf.pad(x, [[0, 0], ...paddings, [0, 0]]);
}

/** Channels-last convolution of rank 1, 2 or 3 with an undilated kernel `[...spatial, in, out]`. */
function plainConv(x: tf.Tensor, kernel: tf.Tensor, strides: readonly number[], padding: 'valid' | 'same'): tf.Tensor {
  switch (strides.length) {
    case 1:
      return tf.conv1d(x as tf.Tensor3D, kernel as tf.Tensor3D, strides[0]!, padding);
    case 2:
      return tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, strides as [number, number], padding);
    case 3:
      return conv3dFromConv2d(x as tf.Tensor5D, kernel as tf.Tensor5D, strides, padding);
    default:
      throw new ConfigurationError(`convolution of rank ${strides.length} is not supported (1, 2 or 3)`);
  }
}

/**
 * Depth planes k, k + stride, …, (outDepth planes) of `x` as a batch of images
 * `[batch * outDepth, rows, cols, channels]`. Built from slice/pad/reshape only, because TF.js
 * has no gradient for strided slices.
 */
function depthSlices(x: tf.Tensor5D, first: number, count: number, stride: number): tf.Tensor4D {
  const [batch, , rows, cols, channels] = x.shape;
  const span = (count - 1) * stride + 1;
  let planes: tf.Tensor = tf.slice(x, [0, first, 0, 0, 0], [batch, span, rows, cols, channels]);
  if (stride > 1) {
    // Pad the depth to count * stride, group it as (count, stride) and keep the first of each group.
    planes = tf.pad(planes, [
      [0, 0],
      [0, stride - 1],
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    planes = tf.reshape(planes, [batch * count, stride, rows * cols * channels]);
    planes = tf.slice(planes, [0, 0, 0], [batch * count, 1, rows * cols * channels]);
  }
  return tf.reshape(planes, [batch * count, rows, cols, channels]);
}

/**
 * 3-D convolution as a sum over the kernel's depth of 2-D convolutions of strided depth slices.
 * TF.js 4.22's WASM Conv3DBackpropInputV2 returns wrong input gradients, so `tf.conv3d` cannot be
 * trained there; this formulation only needs Conv2D and its (correct) gradients.
 */
function conv3dFromConv2d(
  x: tf.Tensor5D,
  kernel: tf.Tensor5D,
  strides: readonly number[],
  padding: 'valid' | 'same',
): tf.Tensor {
  const [kd, kh, kw, inChannels, filters] = kernel.shape;
  const input = (padding === 'same' ? padSame(x, [kd, kh, kw], strides) : x) as tf.Tensor5D;
  const [batch, depth] = input.shape;
  const stride = strides[0]!;
  const outDepth = Math.floor((depth - kd) / stride) + 1;
  let sum: tf.Tensor | null = null;
  for (let k = 0; k < kd; k++) {
    const planes = depthSlices(input, k, outDepth, stride);
    const tap = tf.reshape(tf.slice(kernel, [k, 0, 0, 0, 0], [1, kh, kw, inChannels, filters]), [
      kh,
      kw,
      inChannels,
      filters,
    ]) as tf.Tensor4D;
    const out = tf.conv2d(planes, tap, [strides[1]!, strides[2]!], 'valid');
    sum = sum === null ? out : tf.add(sum, out);
  }
  const [, outRows, outCols] = sum!.shape;
  return tf.reshape(sum!, [batch, outDepth, outRows!, outCols!, filters]);
}

/**
 * Channels-last N-D convolution (cross-correlation) with Keras's semantics, including
 * dilation and `groups` (input channels split into `groups` parts, each convolved with
 * `filters / groups` filters, results concatenated on the channels axis).
 */
export function convChannelsLast(
  x: tf.Tensor,
  kernel: tf.Tensor,
  options: { strides: readonly number[]; padding: 'valid' | 'same'; dilation: readonly number[]; groups: number },
): tf.Tensor {
  const spread = dilateKernel(kernel, options.dilation);
  if (options.groups === 1) return plainConv(x, spread, options.strides, options.padding);
  const inputs = tf.split(x, options.groups, -1);
  const kernels = tf.split(spread, options.groups, -1);
  const outputs = inputs.map((xi, i) => plainConv(xi, kernels[i]!, options.strides, options.padding));
  return tf.concat(outputs, -1);
}

/**
 * Channels-last depthwise convolution of rank 1 or 2 with kernel `[...spatial, in, multiplier]`
 * (dilation via {@link dilateKernel}); rank 1 runs as rank 2 over a height of 1.
 */
export function depthwiseChannelsLast(
  x: tf.Tensor,
  kernel: tf.Tensor,
  options: { strides: readonly number[]; padding: 'valid' | 'same'; dilation: readonly number[] },
): tf.Tensor {
  const spread = dilateKernel(kernel, options.dilation);
  if (options.strides.length === 1) {
    const out = tf.depthwiseConv2d(
      tf.expandDims(x, 1) as tf.Tensor4D,
      tf.expandDims(spread, 0) as tf.Tensor4D,
      [1, options.strides[0]!],
      options.padding,
    );
    return tf.squeeze(out, [1]);
  }
  return tf.depthwiseConv2d(
    x as tf.Tensor4D,
    spread as tf.Tensor4D,
    options.strides as [number, number],
    options.padding,
  );
}

/**
 * Channels-last transposed convolution of rank 1, 2 or 3 with kernel `[...spatial, filters, in]`
 * and the given output spatial size (TF semantics); dilation via {@link dilateKernel}.
 */
export function convTransposeChannelsLast(
  x: tf.Tensor,
  kernel: tf.Tensor,
  options: {
    strides: readonly number[];
    padding: 'valid' | 'same';
    dilation: readonly number[];
    outputSize: readonly number[];
  },
): tf.Tensor {
  const spread = dilateKernel(kernel, options.dilation);
  const filters = kernel.shape[kernel.rank - 2]!;
  const batch = x.shape[0]!;
  if (options.strides.length === 1) {
    const out = tf.conv2dTranspose(
      tf.expandDims(x, 1) as tf.Tensor4D,
      tf.expandDims(spread, 0) as tf.Tensor4D,
      [batch, 1, options.outputSize[0]!, filters],
      [1, options.strides[0]!],
      options.padding,
    );
    return tf.squeeze(out, [1]);
  }
  if (options.strides.length === 3)
    return convTransposeViaConv(x, spread, options.strides, options.padding, options.outputSize);
  const [rows, cols] = options.outputSize as [number, number];
  return tf.conv2dTranspose(
    x as tf.Tensor4D,
    spread as tf.Tensor4D,
    [batch, rows, cols, filters],
    options.strides as [number, number],
    options.padding,
  );
}

/**
 * Transposed convolution as a forward one (used for 3-D, whose TF.js WASM kernel
 * Conv3DBackpropInputV2 is wrong): zeros inserted between input entries by the stride,
 * "full" padding, the spatially flipped kernel with in/out channels swapped, then TF's
 * cropping (`same`: the smaller half of the padding at the start) or zero-extension to
 * `outputSize`. `kernel` is already dilated, `[...spatial, filters, in]`.
 */
function convTransposeViaConv(
  x: tf.Tensor,
  kernel: tf.Tensor,
  strides: readonly number[],
  padding: 'valid' | 'same',
  outputSize: readonly number[],
): tf.Tensor {
  const rank = strides.length;
  const spatialAxes = Array.from({ length: rank }, (_, i) => i);
  const windows = kernel.shape.slice(0, rank);
  const upsampled = spreadAxes(x, strides, 1);
  const full = tf.pad(upsampled, [[0, 0], ...windows.map((k): [number, number] => [k - 1, k - 1]), [0, 0]]);
  const forwardKernel = tf.transpose(tf.reverse(kernel, spatialAxes), [...spatialAxes, rank + 1, rank]);
  const y = convChannelsLast(full, forwardKernel, {
    strides: strides.map(() => 1),
    padding: 'valid',
    dilation: strides.map(() => 1),
    groups: 1,
  });
  // y has length (n - 1) * s + k per axis; TF's output j is y[j + before] (0 beyond y).
  const inputSizes = x.shape.slice(1, -1);
  const begins = inputSizes.map((n, i) =>
    padding === 'valid' ? 0 : Math.floor(Math.max((n - 1) * strides[i]! + windows[i]! - outputSize[i]!, 0) / 2),
  );
  const available = y.shape.slice(1, -1).map((len, i) => Math.min(outputSize[i]!, len - begins[i]!));
  const cropped = tf.slice(y, [0, ...begins, 0], [-1, ...available, -1]);
  const extension = outputSize.map((size, i): [number, number] => [0, size - available[i]!]);
  return extension.every(([, after]) => after === 0) ? cropped : tf.pad(cropped, [[0, 0], ...extension, [0, 0]]);
}

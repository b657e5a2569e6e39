/**
 * Channels-last convolution helpers on TF.js ops, written so that gradients exist on every
 * backend: TF.js has no gradients for dilated convolutions, so dilation is applied by
 * spreading the kernel (zeros between taps), which gives the same result.
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * The kernel with `dilation - 1` zeros inserted between taps along each spatial axis
 * (the first `dilation.length` axes). A dilated convolution equals an undilated one with
 * this kernel, including TF's `same` padding (both use the effective size (k - 1) * d + 1).
 */
export function dilateKernel(kernel: tf.Tensor, dilation: readonly number[]): tf.Tensor {
  if (dilation.every((d) => d === 1)) return kernel;
  let out = kernel;
  dilation.forEach((d, axis) => {
    if (d === 1) return;
    const shape = out.shape;
    const size = shape[axis]!;
    // [.., k, ..] → [.., k, 1, ..] → pad to [.., k, d, ..] → [.., k * d, ..] → first (k - 1) * d + 1.
    const expanded = tf.expandDims(out, axis + 1);
    const padding = shape.map((): [number, number] => [0, 0]);
    padding.splice(axis + 1, 0, [0, d - 1]);
    const spread = tf.reshape(tf.pad(expanded, padding), [...shape.slice(0, axis), size * d, ...shape.slice(axis + 1)]);
    const begin = shape.map(() => 0);
    const sizes = shape.map((s, i) => (i === axis ? (size - 1) * d + 1 : s));
    out = tf.slice(spread, begin, sizes);
  });
  return out;
}

/** Channels-last convolution of rank 1, 2 or 3 with an undilated kernel `[...spatial, in, out]`. */
function plainConv(x: tf.Tensor, kernel: tf.Tensor, strides: readonly number[], padding: 'valid' | 'same'): tf.Tensor {
  switch (strides.length) {
    case 1:
      return tf.conv1d(x as tf.Tensor3D, kernel as tf.Tensor3D, strides[0]!, padding);
    case 2:
      return tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, strides as [number, number], padding);
    case 3:
      return tf.conv3d(x as tf.Tensor5D, kernel as tf.Tensor5D, strides as [number, number, number], padding);
    default:
      throw new Error(`convolution of rank ${strides.length} is not supported (1, 2 or 3)`);
  }
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

/** Channels-last 2-D depthwise convolution with kernel `[kh, kw, in, multiplier]`, dilation via {@link dilateKernel}. */
export function depthwiseChannelsLast(
  x: tf.Tensor4D,
  kernel: tf.Tensor,
  options: { strides: readonly number[]; padding: 'valid' | 'same'; dilation: readonly number[] },
): tf.Tensor4D {
  const spread = dilateKernel(kernel, options.dilation) as tf.Tensor4D;
  return tf.depthwiseConv2d(x, spread, options.strides as [number, number], options.padding);
}

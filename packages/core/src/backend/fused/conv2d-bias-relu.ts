/**
 * `StrataConv2DBiasRelu`: a 2-D convolution (channels last, undilated), its bias and a relu in one
 * kernel, with a registered gradient, for training.
 *
 * While gradients are recorded, `tf.fused.conv2d` splits a relu step into Conv2D, Add and Relu:
 * two extra passes over the output forward (on the MNIST convnet's first layer, 128×26×26×32
 * floats each, ~3 ms a step on WASM). This kernel runs the backend's own FusedConv2D with the relu
 * fused. Its gradient is the one TF.js's fused path computes — dy masked where the output is not
 * positive (`dy · step(y)`, one kernel: relu-grad.ts), then the convolution's input and filter
 * gradients and the bias's sum — but, being registered rather than attached by `customGrad`, only
 * the gradients the tape needs run (never the input gradient of a model's first layer).
 *
 * Registered for the `wasm` and `cpu` backends only (a native backend keeps TF.js's stock path);
 * the Conv2D layer uses `tf.fused.conv2d` wherever this kernel is not registered.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, NamedAttrMap } from '@tensorflow/tfjs-core';
import { reluGrad } from './relu-grad.js';
import { hasKernel, registerKernels } from './sequence-op.js';
import type { FusedBackend } from './sequence-workspace.js';

/** Inputs `x`, `filter`, optional `bias` (`[filters]`); attrs `strides`, `pad` ('valid' | 'same'). */
export const CONV2D_BIAS_RELU = 'StrataConv2DBiasRelu';

/** Whether the current backend has the fused kernel. */
export const hasConv2DBiasRelu = (): boolean => hasKernel(CONV2D_BIAS_RELU);

/** The attributes of the convolutions (forward and gradients). */
function convAttrs(attrs: NamedAttrMap): NamedAttrMap {
  // No dimRoundingMode: TF.js uses it only for numeric padding.
  return { strides: attrs['strides'] as number[], pad: attrs['pad'] as string, dataFormat: 'NHWC' };
}

/** The backend's FusedConv2D with a relu (looked up at each call: later wrappers of it apply). */
const forwardOn =
  (backendName: FusedBackend): KernelFunc =>
  (args) => {
    const fused = tf.getKernel(tf.FusedConv2D, backendName);
    if (fused === undefined)
      throw new Error(`${CONV2D_BIAS_RELU}: the '${backendName}' backend has no FusedConv2D kernel`);
    const attrs = { ...convAttrs(args.attrs ?? {}), dilations: [1, 1], activation: 'relu' };
    return fused.kernelFunc({ ...args, attrs });
  };

/** Registers the kernel for `backendName` and its gradient (idempotent). */
export function registerConv2DBiasRelu(backendName: FusedBackend): void {
  registerKernels(backendName, [[CONV2D_BIAS_RELU, forwardOn(backendName)]]);
  if (tf.getGradient(CONV2D_BIAS_RELU) !== undefined) return;
  tf.registerGradient({
    kernelName: CONV2D_BIAS_RELU,
    inputsToSave: ['x', 'filter'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter, y] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
      // Computed once, used by every gradient the tape asks for (freed with the backward pass's scope).
      const masked = reluGrad(dy as tf.Tensor, y);
      const window = convAttrs(attrs);
      const engine = tf.engine();
      return {
        x: () =>
          engine.runKernel(
            tf.Conv2DBackpropInput,
            { dy: masked, filter },
            { ...window, inputShape: x.shape },
          ) as tf.Tensor,
        filter: () =>
          engine.runKernel(
            tf.Conv2DBackpropFilter,
            { x, dy: masked },
            { ...window, filterShape: filter.shape },
          ) as tf.Tensor,
        bias: () => tf.sum(masked, [0, 1, 2]),
      };
    },
  });
}

/** relu(x ⋆ filter + bias) by the fused kernel (which must be registered); `bias` is `[filters]` or null. */
export function conv2dBiasRelu(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor | null,
  window: { strides: [number, number]; pad: 'valid' | 'same' },
): tf.Tensor4D {
  const inputs: tf.NamedTensorMap = bias === null ? { x, filter } : { x, filter, bias };
  return tf.engine().runKernel(CONV2D_BIAS_RELU, inputs, { ...window }) as tf.Tensor4D;
}

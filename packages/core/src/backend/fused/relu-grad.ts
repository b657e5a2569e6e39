/**
 * `StrataReluGrad`: a relu's gradient from its output, `dy · step(y)`, in one pass instead of two
 * kernels (Step, then Multiply) and a temporary the size of the output — on the MNIST convnet's
 * first layer 128×26×26×32 floats, ~2 ms of a WASM training step. The floats are those of TF.js's
 * `mul(dy, step(y))` with Strata's NaN semantics: dy where y > 0, dy · 0 elsewhere, NaN where y
 * is NaN. On WASM the SIMD loop `relu_grad` runs on the heap, in blocks on the tile pool's threads.
 * Registered for the `wasm` and `cpu` backends; used by fused kernels' gradients
 * (conv2d-bias-relu.ts), which fall back to the two ops where it is not registered.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { simdKernelsFor } from '../wasm-kernels/simd-kernels.js';
import { asWasmBackend, floatView, heapAddress } from '../wasm-kernels/wasm-backend.js';
import { BLOCKS_PER_THREAD, loopJob, tilePoolFor } from '../wasm-threads/tile-pool.js';
import { hasKernel, registerKernels } from './sequence-op.js';
import type { FusedBackend } from './sequence-workspace.js';

/** Inputs `dy`, `y` (float32, same shape); output `dy · step(y)`. */
export const RELU_GRAD = 'StrataReluGrad';

/** dy · step(y) for one element, as TF.js's Step then Multiply compute it. */
function reluGradAt(dy: number, y: number): number {
  if (Number.isNaN(y)) return Number.NaN;
  return y > 0 ? dy : dy * 0;
}

/** Elements [from, to) in JavaScript (the cpu backend, and the wasm tail that is not a whole vector). */
function reluGradRange(out: Float32Array, dy: Float32Array, y: Float32Array, from: number, to: number): void {
  for (let i = from; i < to; i++) out[i] = reluGradAt(dy[i]!, y[i]!);
}

function checkInputs(dy: TensorInfo, y: TensorInfo): void {
  if (dy.dtype !== 'float32' || y.dtype !== 'float32' || !tf.util.arraysEqual(dy.shape, y.shape)) {
    throw new Error(
      `${RELU_GRAD}: dy and y must be float32 tensors of one shape; got dy ${dy.dtype} [${dy.shape.join(', ')}], ` +
        `y ${y.dtype} [${y.shape.join(', ')}]`,
    );
  }
}

const onWasm: KernelFunc = ({ inputs, backend: anyBackend }) => {
  const { dy, y } = inputs as { dy: TensorInfo; y: TensorInfo };
  checkInputs(dy, y);
  const backend = asWasmBackend(anyBackend, RELU_GRAD);
  const out = backend.makeOutput([...dy.shape], 'float32');
  const size = tf.util.sizeFromShape(dy.shape);
  const vectors = size >> 2;
  const simd = simdKernelsFor(backend);
  const done = simd === null ? 0 : 4 * vectors;
  if (simd !== null && vectors > 0) {
    const [outAt, dyAt, yAt] = [heapAddress(backend, out), heapAddress(backend, dy), heapAddress(backend, y)];
    const pool = tilePoolFor(3 * size);
    const blocks = BLOCKS_PER_THREAD * (pool?.threads ?? 1);
    const perCall = 4 * Math.ceil(vectors / blocks);
    const job = loopJob(pool, simd, 'relu_grad', 1);
    for (let first = 0; first < done; first += perCall) {
      const count = Math.min(perCall, done - first);
      job.call(outAt + 4 * first, dyAt + 4 * first, yAt + 4 * first, 4 * count);
    }
    job.run();
  }
  reluGradRange(floatView(backend, out), floatView(backend, dy), floatView(backend, y), done, size);
  return out;
};

const onCpu: KernelFunc = ({ inputs, backend }) => {
  const { dy, y } = inputs as { dy: TensorInfo; y: TensorInfo };
  checkInputs(dy, y);
  const cpu = backend as {
    data: { get(dataId: object): { values?: unknown } };
    makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
  };
  const dyValues = cpu.data.get(dy.dataId).values as Float32Array;
  const yValues = cpu.data.get(y.dataId).values as Float32Array;
  const out = new Float32Array(dyValues.length);
  reluGradRange(out, dyValues, yValues, 0, out.length);
  return cpu.makeTensorInfo([...dy.shape], 'float32', out);
};

/** Registers the kernel for `backendName` (idempotent). */
export function registerReluGrad(backendName: FusedBackend): void {
  registerKernels(backendName, [[RELU_GRAD, backendName === 'wasm' ? onWasm : onCpu]]);
}

/** dy · step(y), one kernel where registered, else TF.js's two ops (same floats). */
export function reluGrad(dy: tf.Tensor, y: tf.Tensor): tf.Tensor {
  if (!hasKernel(RELU_GRAD)) return tf.mul(dy, tf.step(y));
  return tf.engine().runKernel(RELU_GRAD, { dy, y }) as tf.Tensor;
}

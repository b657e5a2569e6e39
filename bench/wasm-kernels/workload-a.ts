/**
 * The hot training kernels of workload A (the Keras MNIST convnet, batch 128) at its real
 * shapes, and the two ceilings they are measured against on the wasm backend:
 * - compute: GFLOP/s of the wasm BatchMatMul (XNNPACK, SIMD, one thread) on large square products;
 * - memory: GB/s of a large in-heap copy (read + write), for kernels that do no matmul (pooling, Sum).
 */
import { tf } from '../../packages/core/src/index.js';

/** One kernel call to time: its inputs, attrs, and the work it does (FLOPs or bytes moved). */
export interface KernelCase {
  label: string;
  kernel: string;
  make: () => Record<string, tf.Tensor>;
  attrs: Record<string, unknown>;
  /** Floating-point operations (2 per multiply-add) for compute-bound kernels. */
  flops?: number;
  /** Bytes read plus bytes written at minimum, for memory-bound kernels. */
  bytes?: number;
}

const BATCH = 128;
const conv1 = { x: [BATCH, 28, 28, 1], filter: [3, 3, 1, 32], out: [BATCH, 26, 26, 32] } as const;
const conv2 = { x: [BATCH, 13, 13, 32], filter: [3, 3, 32, 64], out: [BATCH, 11, 11, 64] } as const;
const pool1 = { x: conv1.out, out: [BATCH, 13, 13, 32] } as const;
const pool2 = { x: conv2.out, out: [BATCH, 5, 5, 64] } as const;

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
let seed = 100;
const rand = (shape: readonly number[]): tf.Tensor => tf.randomUniform([...shape], -1, 1, 'float32', seed++);

/** 2 · (output elements) · (multiply-adds per output) for a conv with these shapes. */
function convFlops(c: { out: readonly number[]; filter: readonly number[] }): number {
  const [kh, kw, ci] = c.filter as [number, number, number, number];
  return 2 * size(c.out) * kh * kw * ci;
}

const convAttrs = { strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations: 1 };
const poolAttrs = { filterSize: 2, strides: 2, pad: 'valid' };

/** A max-pooling input whose values repeat inside windows, so ties are part of the work. */
function poolInput(shape: readonly number[]): tf.Tensor {
  return tf.tidy(() => tf.round(tf.mul(rand(shape), 4)));
}

function maxPoolGradCase(label: string, p: { x: readonly number[]; out: readonly number[] }): KernelCase {
  return {
    label,
    kernel: 'MaxPoolGrad',
    make: () => {
      const input = poolInput(p.x);
      const output = tf.maxPool(input as tf.Tensor4D, 2, 2, 'valid');
      return { dy: rand(p.out), input, output };
    },
    attrs: poolAttrs,
    // reads input and dy, writes dx (the forward output is not needed)
    bytes: 4 * (2 * size(p.x) + size(p.out)),
  };
}

/** The kernels of one workload-A training step that take ≥ 1 ms, at the step's shapes. */
export const WORKLOAD_A_CASES: KernelCase[] = [
  {
    label: 'Conv2D conv1 28x28x1 -> 26x26x32',
    kernel: 'Conv2D',
    make: () => ({ x: rand(conv1.x), filter: rand(conv1.filter) }),
    attrs: convAttrs,
    flops: convFlops(conv1),
  },
  {
    label: 'Conv2D conv2 13x13x32 -> 11x11x64',
    kernel: 'Conv2D',
    make: () => ({ x: rand(conv2.x), filter: rand(conv2.filter) }),
    attrs: convAttrs,
    flops: convFlops(conv2),
  },
  {
    label: 'Conv2DBackpropInput conv2',
    kernel: 'Conv2DBackpropInput',
    make: () => ({ dy: rand(conv2.out), filter: rand(conv2.filter) }),
    attrs: { ...convAttrs, inputShape: [...conv2.x] },
    flops: convFlops(conv2),
  },
  {
    label: 'Conv2DBackpropFilter conv1',
    kernel: 'Conv2DBackpropFilter',
    make: () => ({ x: rand(conv1.x), dy: rand(conv1.out) }),
    attrs: { ...convAttrs, filterShape: [...conv1.filter] },
    flops: convFlops(conv1),
  },
  {
    label: 'Conv2DBackpropFilter conv2',
    kernel: 'Conv2DBackpropFilter',
    make: () => ({ x: rand(conv2.x), dy: rand(conv2.out) }),
    attrs: { ...convAttrs, filterShape: [...conv2.filter] },
    flops: convFlops(conv2),
  },
  {
    label: 'MaxPool pool1 26x26x32 -> 13x13x32',
    kernel: 'MaxPool',
    make: () => ({ x: poolInput(pool1.x) }),
    attrs: poolAttrs,
    bytes: 4 * (size(pool1.x) + size(pool1.out)),
  },
  {
    label: 'MaxPool pool2 11x11x64 -> 5x5x64',
    kernel: 'MaxPool',
    make: () => ({ x: poolInput(pool2.x) }),
    attrs: poolAttrs,
    bytes: 4 * (size(pool2.x) + size(pool2.out)),
  },
  maxPoolGradCase('MaxPoolGrad pool1', pool1),
  maxPoolGradCase('MaxPoolGrad pool2', pool2),
  {
    label: 'Sum bias grad conv1 [128,26,26,32] -> [32]',
    kernel: 'Sum',
    make: () => ({ x: rand(conv1.out) }),
    attrs: { axis: [0, 1, 2], keepDims: false },
    bytes: 4 * size(conv1.out),
  },
  {
    label: 'Sum bias grad conv2 [128,11,11,64] -> [64]',
    kernel: 'Sum',
    make: () => ({ x: rand(conv2.out) }),
    attrs: { axis: [0, 1, 2], keepDims: false },
    bytes: 4 * size(conv2.out),
  },
];

/** Best (minimum) wall time of `repeats` calls: robust to other processes on a shared machine. */
export function bestOf(repeats: number, f: () => void): number {
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    f();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/**
 * Best ms of one kernel call on the current backend, after one warm-up call. Every call gets
 * fresh copies of the inputs (new data ids, as in a training step): the wasm matmul and conv
 * kernels cache their packed weights by data id, so reusing inputs would time a cache hit that
 * training never gets. wasm and cpu kernels run synchronously, so the output is not read back.
 */
export function timeCase(
  c: Pick<KernelCase, 'kernel' | 'make' | 'attrs'>,
  repeats: number,
  freshInputs = true,
): number {
  const inputs = c.make();
  const once = (): number => {
    const fresh = Object.fromEntries(
      Object.entries(inputs).map(([name, t]) => [
        name,
        freshInputs ? tf.tensor(t.dataSync(), t.shape, t.dtype) : t.clone(),
      ]),
    );
    const start = performance.now();
    const out = tf.engine().runKernel(c.kernel, fresh, c.attrs as tf.NamedAttrMap) as tf.Tensor;
    const ms = performance.now() - start;
    out.dispose();
    tf.dispose(Object.values(fresh));
    return ms;
  };
  once();
  let best = Infinity;
  for (let i = 0; i < repeats; i++) best = Math.min(best, once());
  tf.dispose(Object.values(inputs));
  return best;
}

/**
 * GFLOP/s of BatchMatMul on n×n·n×n for each n, and the best of them (the compute ceiling). The
 * same inputs every call: the product alone, without XNNPACK's packing of the second operand.
 */
export function matMulCeiling(sizes: number[], repeats: number): { bySize: Record<string, number>; gflops: number } {
  const bySize: Record<string, number> = {};
  for (const n of sizes) {
    const ms = timeCase(
      {
        kernel: 'BatchMatMul',
        make: () => ({ a: rand([n, n]), b: rand([n, n]) }),
        attrs: { transposeA: false, transposeB: false },
      },
      repeats,
      false,
    );
    bySize[`${n}x${n}x${n}`] = (2 * n * n * n) / ms / 1e6;
  }
  return { bySize, gflops: Math.max(...Object.values(bySize)) };
}

/** GB/s (bytes read + written) of copying a 64 MiB float32 tensor inside the wasm heap. */
export function memoryCeiling(repeats: number): number {
  const elements = 16 * 1024 * 1024;
  const x = tf.zeros([elements]);
  const backend = tf.backend() as unknown as { typedArrayFromHeap(info: tf.TensorInfo): Float32Array };
  const view = backend.typedArrayFromHeap(x as unknown as tf.TensorInfo);
  const half = elements / 2;
  const ms = bestOf(repeats, () => view.copyWithin(half, 0, half));
  x.dispose();
  return (2 * 4 * half) / ms / 1e6;
}

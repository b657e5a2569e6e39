/**
 * Timing script (not a test): ms per Conv2DBackpropFilter call for the MNIST-convnet shapes,
 * wasm (this module's kernel) vs the cpu backend, plus the depthwise and segment-sum kernels.
 * The cpu numbers are single cold calls (its kernels take seconds here); run on an idle machine.
 *
 *   pnpm bench wasm-kernels   (or: node --import tsx bench/wasm-kernels/bench.ts --wasm-only)
 */
import { selectBackend, tf } from '../../packages/core/src/index.js';
import { registerWasmFastTransposedMatMul } from '../../packages/core/src/backend/wasm-kernels/fast-transposed-matmul.js';
import { registerWasmTrainingKernels } from '../../packages/core/src/backend/wasm-kernels/index.js';

// Registers both backends (the tfjs-core instance is @strata/core's, so its kernels are the ones timed).
await selectBackend('cpu');
await selectBackend('wasm');

interface Shape {
  label: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
}

const SHAPES: Shape[] = [
  { label: 'conv1 28x28x1 -> 3x3x32', x: [128, 28, 28, 1], filter: [3, 3, 1, 32] },
  { label: 'conv2 13x13x32 -> 3x3x64', x: [128, 13, 13, 32], filter: [3, 3, 32, 64] },
];

/** Best (minimum) wall time of `repeats` calls: robust to other processes on a shared machine. */
function bestOf(repeats: number, f: () => void): number {
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    f();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

async function timeOn(backendName: 'wasm' | 'cpu', shape: Shape, repeats: number): Promise<number> {
  await tf.setBackend(backendName);
  const [n, h, w] = shape.x;
  const [kh, kw, , co] = shape.filter;
  const x = tf.randomUniform(shape.x, -1, 1, 'float32', 1);
  const dy = tf.randomUniform([n, h - kh + 1, w - kw + 1, co], -1, 1, 'float32', 2);
  const attrs = { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: shape.filter };
  const once = (): void => {
    const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs) as tf.Tensor;
    dw.dataSync();
    dw.dispose();
  };
  // Warm-up (operator creation, heap growth, JIT) only on wasm: one cpu call takes seconds.
  if (backendName === 'wasm') once();
  const ms = bestOf(repeats, once);
  tf.dispose([x, dy]);
  return ms;
}

/** Times any kernel on both backends with the same seeded inputs. */
async function timeKernel(
  backendName: 'wasm' | 'cpu',
  kernelName: string,
  make: () => Record<string, tf.Tensor>,
  attrs: Record<string, unknown>,
  repeats: number,
): Promise<number> {
  await tf.setBackend(backendName);
  const inputs = make();
  const once = (): void => {
    const out = tf.engine().runKernel(kernelName, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;
    out.dataSync();
    out.dispose();
  };
  if (backendName === 'wasm') once();
  const ms = bestOf(repeats, once);
  tf.dispose(Object.values(inputs));
  return ms;
}

const wasmOnly = process.argv.includes('--wasm-only');

function report(label: string, wasm: number, cpu: number): void {
  if (wasmOnly) {
    console.log(`${label.padEnd(44)} wasm ${wasm.toFixed(1).padStart(7)} ms`);
    return;
  }
  console.log(
    `${label.padEnd(44)} wasm ${wasm.toFixed(1).padStart(7)} ms   cpu ${cpu.toFixed(1).padStart(8)} ms   speed-up ${(cpu / wasm).toFixed(1)}x`,
  );
}

registerWasmTrainingKernels();
await tf.setBackend('wasm');
console.log(`tfjs-core ${tf.version_core}; best-of-N ms per kernel call (conv: batch 128, valid, stride 1)`);
for (const shape of SHAPES) {
  const wasm = await timeOn('wasm', shape, 10);
  const cpu = wasmOnly ? NaN : await timeOn('cpu', shape, 1);
  report(`Conv2DBackpropFilter ${shape.label}`, wasm, cpu);
}

const depthwise = { strides: 1, pad: 'same', dilations: 1 };
const dwX = (): tf.Tensor => tf.randomUniform([128, 28, 28, 32], -1, 1, 'float32', 3);
const dwDy = (): tf.Tensor => tf.randomUniform([128, 28, 28, 32], -1, 1, 'float32', 4);
const dwFilter = (): tf.Tensor => tf.randomUniform([3, 3, 32, 1], -1, 1, 'float32', 5);
for (const [kernel, make, attrs] of [
  [
    'DepthwiseConv2dNativeBackpropFilter',
    () => ({ x: dwX(), dy: dwDy() }),
    { ...depthwise, filterShape: [3, 3, 32, 1] },
  ],
  [
    'DepthwiseConv2dNativeBackpropInput',
    () => ({ dy: dwDy(), filter: dwFilter() }),
    { ...depthwise, inputShape: [128, 28, 28, 32] },
  ],
] as const) {
  const wasm = await timeKernel('wasm', kernel, make, attrs, 5);
  report(`${kernel} 128x28x28x32 3x3`, wasm, wasmOnly ? NaN : await timeKernel('cpu', kernel, make, attrs, 1));
}
const segment = (): Record<string, tf.Tensor> => ({
  x: tf.randomUniform([128 * 20, 64], -1, 1, 'float32', 6),
  segmentIds: tf.randomUniform([128 * 20], 0, 1000, 'int32', 7),
});
report(
  'UnsortedSegmentSum 2560x64 -> 1000 rows',
  await timeKernel('wasm', 'UnsortedSegmentSum', segment, { numSegments: 1000 }, 10),
  wasmOnly ? NaN : await timeKernel('cpu', 'UnsortedSegmentSum', segment, { numSegments: 1000 }, 1),
);

// Dense-layer gradient products on wasm, before and after registerWasmFastTransposedMatMul().
const dense = (): Record<string, tf.Tensor> => ({
  a: tf.randomUniform([128, 784], -1, 1, 'float32', 8),
  b: tf.randomUniform([128, 256], -1, 1, 'float32', 9),
});
const denseDx = (): Record<string, tf.Tensor> => ({
  a: tf.randomUniform([128, 256], -1, 1, 'float32', 10),
  b: tf.randomUniform([784, 256], -1, 1, 'float32', 11),
});
const dWBefore = await timeKernel('wasm', 'BatchMatMul', dense, { transposeA: true, transposeB: false }, 10);
const dxBefore = await timeKernel('wasm', 'BatchMatMul', denseDx, { transposeA: false, transposeB: true }, 10);
registerWasmFastTransposedMatMul();
const dWAfter = await timeKernel('wasm', 'BatchMatMul', dense, { transposeA: true, transposeB: false }, 10);
const dxAfter = await timeKernel('wasm', 'BatchMatMul', denseDx, { transposeA: false, transposeB: true }, 10);
console.log(
  `BatchMatMul x[128,784]ᵀ·dy[128,256] (Dense dW): wasm ${dWBefore.toFixed(1)} ms -> ${dWAfter.toFixed(1)} ms with the fix`,
);
console.log(
  `BatchMatMul dy[128,256]·W[784,256]ᵀ (Dense dx): wasm ${dxBefore.toFixed(1)} ms -> ${dxAfter.toFixed(1)} ms with the fix`,
);

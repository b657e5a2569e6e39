/**
 * Timing script (not a test): ms per Conv2DBackpropFilter call for the MNIST-convnet shapes,
 * wasm (this module's kernel) vs the cpu backend.
 *
 *   node --import tsx packages/core/src/backend/wasm-kernels/bench.ts
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from './index.js';

interface Shape {
  label: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
}

const SHAPES: Shape[] = [
  { label: 'conv1 28x28x1 -> 3x3x32', x: [128, 28, 28, 1], filter: [3, 3, 1, 32] },
  { label: 'conv2 13x13x32 -> 3x3x64', x: [128, 13, 13, 32], filter: [3, 3, 32, 64] },
];

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
  once(); // warm-up: operator creation, heap growth, JIT
  const start = performance.now();
  for (let i = 0; i < repeats; i++) once();
  const ms = (performance.now() - start) / repeats;
  tf.dispose([x, dy]);
  return ms;
}

registerWasmTrainingKernels();
await tf.setBackend('wasm');
console.log(`tfjs-core ${tf.version_core}; ms per Conv2DBackpropFilter call (batch 128, valid, stride 1)`);
for (const shape of SHAPES) {
  const wasm = await timeOn('wasm', shape, 10);
  const cpu = await timeOn('cpu', shape, 2);
  console.log(`${shape.label.padEnd(28)} wasm ${wasm.toFixed(1).padStart(7)} ms   cpu ${cpu.toFixed(1).padStart(8)} ms   speed-up ${(cpu / wasm).toFixed(1)}x`);
}

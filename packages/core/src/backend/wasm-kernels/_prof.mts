import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from './index.js';
registerWasmTrainingKernels();
await tf.setBackend('wasm');
const minTime = (f: () => tf.Tensor, n = 15) => { f().dispose(); let best = Infinity; for (let i = 0; i < n; i++) { const s = performance.now(); const r = f(); r.dataSync(); r.dispose(); best = Math.min(best, performance.now() - s); } return best.toFixed(2); };
for (const [xs, fs] of [[[128, 28, 28, 1], [3, 3, 1, 32]], [[128, 13, 13, 32], [3, 3, 32, 64]]] as const) {
  const x = tf.randomUniform([...xs]); const oh = xs[1] - 2;
  const dy = tf.randomUniform([xs[0], oh, oh, fs[3]]);
  const K = fs[0] * fs[1] * fs[2], P = xs[0] * oh * oh;
  const cols = tf.randomUniform([K, P]); const dyr = tf.reshape(dy, [P, fs[3]]);
  console.log(JSON.stringify(xs), 'kernel', minTime(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [...fs] }) as tf.Tensor), 'matmul only', minTime(() => tf.matMul(cols, dyr)));
}

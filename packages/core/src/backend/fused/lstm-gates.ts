/**
 * The LSTM cell's gate arithmetic as one kernel, with a hand-written gradient kernel: from the
 * pre-activations `z = [zi, zf, zc, zo]` `(batch, 4·units)` and the previous carry `c₋₁`,
 *
 *     i, f, o = sigmoid(zi, zf, zo),  g = tanh(zc),  c = f·c₋₁ + i·g,  h = o·tanh(c)
 *
 * (Keras's default activations). Composed from TF.js ops this is ~10 kernel calls forward and
 * ~25 backward per time step; fused it is one each. Registered for the `wasm` and `cpu` backends
 * only, so a native backend keeps its own kernels; the LSTM cell falls back to the composed ops
 * wherever these are not registered.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasmBackend } from '../wasm-kernels/wasm-backend.js';

/** Forward kernel: inputs `z`, `cPrev`; outputs `h`, `c`. */
export const LSTM_GATES = 'StrataLSTMGates';
/** Gradient kernel: inputs `z`, `cPrev`, `dh`, `dc`; outputs `dz`, `dcPrev`. */
export const LSTM_GATES_GRAD = 'StrataLSTMGatesGrad';

type Backend = 'wasm' | 'cpu';

/** Reads a float32 input and turns computed arrays into outputs, for one backend. */
interface KernelIO {
  read(info: TensorInfo): Float32Array;
  write(shape: number[], values: Float32Array): TensorInfo;
}

function kernelIO(backendName: Backend, backend: object, kernelName: string): KernelIO {
  if (backendName === 'wasm') {
    const wasm = asWasmBackend(backend, kernelName);
    return {
      read: (info) => wasm.typedArrayFromHeap(info) as Float32Array,
      write: (shape, values) => {
        // Outputs are allocated after all reads: an allocation may move the heap.
        const out = wasm.makeOutput(shape, 'float32');
        (wasm.typedArrayFromHeap(out) as Float32Array).set(values);
        return out;
      },
    };
  }
  const cpu = backend as {
    data: { get(dataId: object): { values?: unknown } };
    makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
  };
  return {
    read: (info) => cpu.data.get(info.dataId).values as Float32Array,
    write: (shape, values) => cpu.makeTensorInfo(shape, 'float32', values),
  };
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * Calls `visit` for every (sample, unit) with its gate activations `i, f, g, o` read from `z`
 * (the forward kernel and the gradient kernel recompute them the same way). `k` indexes the
 * `(batch, units)` arrays, `row + u` the input gate's column of `z`.
 */
function forEachUnit(
  batch: number,
  units: number,
  zs: Float32Array,
  visit: (k: number, row: number, u: number, i: number, f: number, g: number, o: number) => void,
): void {
  for (let b = 0; b < batch; b++) {
    const row = b * 4 * units;
    for (let u = 0; u < units; u++) {
      const i = sigmoid(zs[row + u]!);
      const f = sigmoid(zs[row + units + u]!);
      const g = Math.tanh(zs[row + 2 * units + u]!);
      const o = sigmoid(zs[row + 3 * units + u]!);
      visit(b * units + u, row, u, i, f, g, o);
    }
  }
}

/** Checks the inputs' shapes: `z` `(batch, 4·units)`, the others `(batch, units)`. */
function dimensions(
  kernelName: string,
  z: TensorInfo | undefined,
  others: (TensorInfo | undefined)[],
): [number, number] {
  if (z === undefined || others.some((t) => t === undefined) || z.shape.length !== 2 || z.shape[1]! % 4 !== 0) {
    throw new Error(`${kernelName}: expected z of shape (batch, 4·units) and the other inputs (batch, units)`);
  }
  const [batch, width] = z.shape as [number, number];
  const units = width / 4;
  for (const t of others) {
    if (t!.shape.length !== 2 || t!.shape[0] !== batch || t!.shape[1] !== units) {
      throw new Error(`${kernelName}: expected an input of shape (${batch}, ${units}), got (${t!.shape.join(', ')})`);
    }
  }
  return [batch, units];
}

function forwardKernel(backendName: Backend): KernelFunc {
  return ({ inputs, backend }) => {
    const { z, cPrev } = inputs as Record<string, TensorInfo | undefined>;
    const [batch, units] = dimensions(LSTM_GATES, z, [cPrev]);
    const io = kernelIO(backendName, backend, LSTM_GATES);
    const zs = io.read(z!);
    const cs = io.read(cPrev!);
    const h = new Float32Array(batch * units);
    const c = new Float32Array(batch * units);
    forEachUnit(batch, units, zs, (k, row, u, i, f, g, o) => {
      const carry = f * cs[k]! + i * g;
      c[k] = carry;
      h[k] = o * Math.tanh(carry);
    });
    return [io.write([batch, units], h), io.write([batch, units], c)];
  };
}

function gradientKernel(backendName: Backend): KernelFunc {
  return ({ inputs, backend }) => {
    const { z, cPrev, dh, dc } = inputs as Record<string, TensorInfo | undefined>;
    const [batch, units] = dimensions(LSTM_GATES_GRAD, z, [cPrev, dh, dc]);
    const io = kernelIO(backendName, backend, LSTM_GATES_GRAD);
    const [zs, cs, dhs, dcs] = [io.read(z!), io.read(cPrev!), io.read(dh!), io.read(dc!)];
    const dz = new Float32Array(batch * 4 * units);
    const dcPrev = new Float32Array(batch * units);
    forEachUnit(batch, units, zs, (k, row, u, i, f, g, o) => {
      const tc = Math.tanh(f * cs[k]! + i * g);
      // The carry's gradient: from the next step (dc) and through h = o·tanh(c).
      const dCarry = dcs[k]! + dhs[k]! * o * (1 - tc * tc);
      dz[row + u] = dCarry * g * i * (1 - i);
      dz[row + units + u] = dCarry * cs[k]! * f * (1 - f);
      dz[row + 2 * units + u] = dCarry * i * (1 - g * g);
      dz[row + 3 * units + u] = dhs[k]! * tc * o * (1 - o);
      dcPrev[k] = dCarry * f;
    });
    return [io.write([batch, 4 * units], dz), io.write([batch, units], dcPrev)];
  };
}

/** The fused LSTM gates: `[h, c]` from `z` `(batch, 4·units)` and `cPrev` `(batch, units)`. */
export function lstmGates(z: tf.Tensor, cPrev: tf.Tensor): [tf.Tensor, tf.Tensor] {
  return tf.engine().runKernel(LSTM_GATES, { z, cPrev }) as unknown as [tf.Tensor, tf.Tensor];
}

/** Whether the current backend has the fused kernel (wasm and cpu, once registered). */
export function hasFusedLSTMGates(): boolean {
  return tf.getKernel(LSTM_GATES, tf.getBackend()) !== undefined;
}

let gradientRegistered = false;

/**
 * Registers the fused per-step LSTM gate kernels for `backendName` (idempotent) and, once, their
 * gradient (the whole-sequence kernels register in lstm-sequence.ts). The gradient
 * kernel runs once per step, computing both input gradients together; an output outside the
 * backward subgraph (dy `null`) counts as zeros.
 */
export function registerFusedLSTMGates(backendName: Backend): void {
  const configs: KernelConfig[] = [
    { kernelName: LSTM_GATES, backendName, kernelFunc: forwardKernel(backendName) },
    { kernelName: LSTM_GATES_GRAD, backendName, kernelFunc: gradientKernel(backendName) },
  ];
  for (const config of configs) {
    if (tf.getKernel(config.kernelName, backendName) === undefined) tf.registerKernel(config);
  }
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: LSTM_GATES,
    inputsToSave: ['z', 'cPrev'],
    gradFunc: (dys, saved) => {
      const [z, cPrev] = saved as [tf.Tensor, tf.Tensor];
      const [dhGiven, dcGiven] = dys as (tf.Tensor | null)[];
      const dh = dhGiven ?? tf.zerosLike(cPrev);
      const dc = dcGiven ?? tf.zerosLike(cPrev);
      // Both gradients come from one kernel call, made here (not inside the per-input closures,
      // which the tape runs in separate tidy scopes).
      const [dz, dcPrev] = tf.engine().runKernel(LSTM_GATES_GRAD, { z, cPrev, dh, dc }) as unknown as [
        tf.Tensor,
        tf.Tensor,
      ];
      return { z: () => dz, cPrev: () => dcPrev };
    },
  });
}

/**
 * Helpers for the wasm-kernel tests: seeded random data, running one kernel on a named
 * backend with leak accounting, and tolerance checks. Not a test file itself.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { backend_util } from '@tensorflow/tfjs-core';
// The Node entry of tfjs-core registers no gradients; tf.grad in these tests needs them.
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { expect } from 'vitest';
import type { ConvEpilogue } from './conv-window.js';
import { registerWasmTrainingKernels } from './index.js';
import { asWasmBackend, type WasmBackend } from './wasm-backend.js';

/** Deterministic uniform values in [-1, 1) (mulberry32). */
export function seededValues(size: number, seed: number): Float32Array {
  let state = seed >>> 0;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

/** Deterministic integers in [low, high). */
export function seededInts(size: number, seed: number, low: number, high: number): Int32Array {
  const u = seededValues(size, seed);
  return Int32Array.from(u, (v) => low + Math.min(high - low - 1, Math.floor(((v + 1) / 2) * (high - low))));
}

/** Host-side description of a kernel input. */
export interface HostTensor {
  values: Float32Array | Int32Array;
  shape: number[];
  dtype: 'float32' | 'int32';
}

/** Result of running a kernel: its output plus leak accounting. */
export interface KernelRun {
  values: Float32Array | Int32Array | Uint8Array;
  shape: number[];
  dtype: string;
  leakedTensors: number;
  leakedDataIds: number;
}

/** Registers the kernels and makes sure both backends are initialized. */
export async function prepareBackends(): Promise<void> {
  registerWasmTrainingKernels();
  await tf.setBackend('cpu');
  await tf.setBackend('wasm');
  await tf.ready();
}

function numDataIds(): number {
  return (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
}

/** Runs `kernelName` on `backendName`; inputs are a map, or an array for Einsum-style kernels. */
export async function runOn(
  backendName: 'cpu' | 'wasm',
  kernelName: string,
  inputs: Record<string, HostTensor> | HostTensor[],
  attrs: Record<string, unknown>,
): Promise<KernelRun> {
  await tf.setBackend(backendName);
  return runNow(kernelName, inputs, attrs);
}

/**
 * {@link runOn} on the current backend, synchronously: so that a switch such as a kernel fix's
 * `without…(fn)`, which holds only while `fn` runs, is in force when the kernel runs.
 */
export function runNow(
  kernelName: string,
  inputs: Record<string, HostTensor> | HostTensor[],
  attrs: Record<string, unknown>,
): KernelRun {
  const make = (h: HostTensor): tf.Tensor => tf.tensor(h.values, h.shape, h.dtype);
  const tensors = Array.isArray(inputs)
    ? inputs.map(make)
    : Object.fromEntries(Object.entries(inputs).map(([k, h]) => [k, make(h)]));
  const tensorsBefore = tf.memory().numTensors;
  const idsBefore = numDataIds();
  const output = tf
    .engine()
    .runKernel(kernelName, tensors as unknown as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as tf.Tensor;
  const values = output.dataSync() as Float32Array | Int32Array | Uint8Array;
  const run = { values: values.slice(), shape: output.shape, dtype: output.dtype };
  output.dispose();
  const leakedTensors = tf.memory().numTensors - tensorsBefore;
  const leakedDataIds = numDataIds() - idsBefore;
  tf.dispose(Array.isArray(tensors) ? tensors : Object.values(tensors));
  return { ...run, leakedTensors, leakedDataIds };
}

/**
 * Asserts |actual − expected| ≤ rtol·max(|expected|, 1e-2·max|expected|) elementwise: relative
 * error, with a floor for entries that cancel to near zero.
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-4, label = ''): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  let maxAbs = 0;
  for (let i = 0; i < expected.length; i++) maxAbs = Math.max(maxAbs, Math.abs(expected[i] as number));
  const floor = Math.max(1e-2 * maxAbs, 1e-6);
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] as number;
    const err = Math.abs((actual[i] as number) - e) / Math.max(Math.abs(e), floor);
    if (!(err <= worst)) {
      worst = err;
      worstAt = i;
    }
  }
  expect(
    worst,
    `${label}: worst relative error ${worst} at ${worstAt} (got ${actual[worstAt]}, want ${expected[worstAt]})`,
  ).toBeLessThanOrEqual(rtol);
}

/**
 * Checks a Strata wasm kernel that has its own summation order: on wasm, `kernelName` gives
 * `expected` bit for bit and leaks nothing; the cpu backend, and the formulation it replaces
 * (`other.without` runs a call with this kernel switched off), agree within float32 rounding
 * (rtol 1e-4).
 */
export async function expectExactWasmKernel(
  label: string,
  kernelName: string,
  inputs: Record<string, HostTensor>,
  attrs: Record<string, unknown>,
  expected: Float32Array,
  other: { name: string; without: (call: () => KernelRun) => KernelRun },
): Promise<KernelRun> {
  const wasm = await runOn('wasm', kernelName, inputs, attrs);
  const first = (wasm.values as Float32Array).findIndex((v, i) => !Object.is(v, expected[i]));
  expect(first, 'first element differing from the reference').toBe(-1);
  expect([wasm.leakedTensors, wasm.leakedDataIds], 'leaked tensors, wasm data ids').toEqual([0, 0]);
  const cpu = await runOn('cpu', kernelName, inputs, attrs);
  expect(wasm.shape).toEqual(cpu.shape);
  expectClose(wasm.values, cpu.values, 1e-4, `${label} vs cpu`);
  await tf.setBackend('wasm');
  const replaced = other.without(() => runNow(kernelName, inputs, attrs));
  expectClose(wasm.values, replaced.values, 1e-4, `${label} vs ${other.name}`);
  return wasm;
}

/** Runs on wasm and cpu, checks shapes/values agree and that wasm leaks nothing. */
export async function expectWasmMatchesCpu(
  kernelName: string,
  inputs: Record<string, HostTensor> | HostTensor[],
  attrs: Record<string, unknown>,
  label: string,
): Promise<KernelRun> {
  const wasm = await runOn('wasm', kernelName, inputs, attrs);
  const cpu = await runOn('cpu', kernelName, inputs, attrs);
  expect(wasm.shape, `${label}: shape`).toEqual(cpu.shape);
  expectClose(wasm.values, cpu.values, 1e-4, label);
  expect(wasm.leakedTensors, `${label}: leaked tensors`).toBe(0);
  expect(wasm.leakedDataIds, `${label}: leaked wasm data ids`).toBe(0);
  return wasm;
}

/** A rank-4 shape (NHWC, or a filter's [kh, kw, in, out]). */
export type Shape4 = [number, number, number, number];
/** The string paddings of a convolution. */
export type ConvPad = 'valid' | 'same';
/** A convolution test case's activation ('none': a plain Conv2D, no fused kernel). */
export type ConvActivation = 'none' | 'linear' | 'relu';

/** A forward-convolution formulation: its output, or null when it leaves the convolution to the next one. */
export type ConvFormulation = (
  backend: WasmBackend,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  attrs: tf.NamedAttrMap,
  epilogue: ConvEpilogue,
) => tf.TensorInfo | null;

/**
 * Whether `formulation` takes a convolution of zeros, stride 1, valid, NHWC unless `attrs` says
 * otherwise (on the active wasm backend; an output it gives is freed at once).
 */
export function takesConvolution(
  formulation: ConvFormulation,
  xShape: Shape4,
  filterShape: Shape4,
  attrs: Record<string, unknown>,
): boolean {
  const backend = asWasmBackend(tf.backend(), 'Conv2D');
  const [x, filter] = [tf.zeros(xShape), tf.zeros(filterShape)];
  const all = { strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations: 1, ...attrs } as tf.NamedAttrMap;
  const result = formulation(backend, x, filter, all, { bias: null, relu: false });
  if (result !== null) backend.disposeData(result.dataId);
  tf.dispose([x, filter]);
  return result !== null;
}

/** A random float32 host tensor. */
export function randomTensor(shape: number[], seed: number): HostTensor {
  return {
    values: seededValues(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
    dtype: 'float32',
  };
}

/**
 * The plain loop the NHWC reference gradients are written in: calls `visit` for every
 * (batch, output row, output column, filter row, filter column) whose input position (ih, iw)
 * lies inside the input. Deliberately independent of the kernels' own loops.
 */
export function forEachReferenceTap(
  xShape: number[],
  info: backend_util.Conv2DInfo,
  strides: number,
  dilations: number,
  visit: (n: number, oh: number, ow: number, kh: number, kw: number, ih: number, iw: number) => void,
): void {
  const [N, H, W] = xShape as [number, number, number, number];
  for (let n = 0; n < N; n++)
    for (let oh = 0; oh < info.outHeight; oh++)
      for (let ow = 0; ow < info.outWidth; ow++)
        for (let kh = 0; kh < info.filterHeight; kh++)
          for (let kw = 0; kw < info.filterWidth; kw++) {
            const ih = oh * strides - info.padInfo.top + kh * dilations;
            const iw = ow * strides - info.padInfo.left + kw * dilations;
            if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
            visit(n, oh, ow, kh, kw, ih, iw);
          }
}

const bits = new Float32Array(1);
const bitsAsInt = new Int32Array(bits.buffer);

/** The float32 next to the float32 `x` (finite, non-zero) away from zero when `step` is 1, toward zero when −1. */
function neighbour(x: number, step: 1 | -1): number {
  bits[0] = x;
  bitsAsInt[0]! += step;
  return bits[0]!;
}

/**
 * float32 fma(x, y, acc): x·y + acc rounded once (x, y, acc float32). x·y is exact in a double;
 * the double sum's own rounding error (TwoSum) decides the float32 rounding when the double sum
 * lies exactly halfway between two float32s.
 */
export function fusedMultiplyAdd32(x: number, y: number, acc: number): number {
  const p = x * y;
  const s = p + acc;
  const back = s - p;
  const error = p - (s - back) + (acc - back);
  const r = Math.fround(s);
  if (error === 0 || r === s || !Number.isFinite(r) || r === 0) return r;
  // The float32s on either side of s, and whether s is their midpoint.
  const away = Math.abs(r) < Math.abs(s);
  const other = neighbour(r, away ? 1 : -1);
  if (Math.abs(s - r) !== Math.abs(other - s)) return r;
  // A tie in the double sum: the exact value lies on error's side of it.
  const towardOther = other > r === error > 0;
  return towardOther ? other : r;
}

/** One term of an in-order float32 dot product: fused (see above) or product rounded, then sum rounded. */
export function dotTerm(fused: boolean): (x: number, y: number, acc: number) => number {
  return fused ? fusedMultiplyAdd32 : (x, y, acc) => Math.fround(acc + Math.fround(x * y));
}

/**
 * Fused optimizer updates: one kernel per variable and step computes the new weight and the new
 * slots (Adam's m, v, v̂; RMSprop's velocity, momentum, average gradient; SGD's momentum;
 * Adagrad's accumulator) in one pass over memory, instead of ~5–12 element-wise kernels that
 * each allocate, write and re-read a whole weight-sized tensor (Adam over a 20000×128 embedding
 * table was ~15 ms a step on wasm). The arithmetic (optimizer-math.ts) rounds like the composed
 * ops, so results are unchanged.
 *
 * On a threaded backend a weight-sized update runs in blocks on the tile pool's threads (each
 * element is computed alone, so the floats do not change): Adam over the 20000×128 embedding table
 * took 2.0–2.7 ms on two threads against 3.5–3.9 on the calling thread alone.
 *
 * Outputs are fresh tensors that the optimizer `assign`s to the variables: a variable's old
 * buffer may be shared (a reshape, a tensor a caller kept), so it is never written in place.
 * Registered for the `wasm` and `cpu` backends only, so a native backend keeps its own kernels;
 * the optimizers use the composed ops wherever these kernels are not registered.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { simdKernelsFor } from '../wasm-kernels/simd-kernels.js';
import { asWasmBackend, type WasmBackend } from '../wasm-kernels/wasm-backend.js';
import { backendMemory } from '../wasm-simd/heap-module.js';
import { blockShare, loopJob, tilePoolFor } from '../wasm-threads/tile-pool.js';
import { adagradUpdate, adamUpdate, rmspropUpdate, sgdUpdate } from './optimizer-math.js';
import {
  isPooled,
  OPTIMIZER_LOOPS,
  optimizerLoops,
  pooledLoopName,
  rmspropName,
} from '../wasm-kernels/simd-optimizer-loops.js';

/** Inputs `variable`, `gradient`, `m`, `v`, optional `vHat`; attrs `alpha`, `beta1`, `beta2`, `epsilon`. */
export const ADAM_UPDATE = 'StrataAdamUpdate';
/** Inputs `variable`, `gradient`, `velocity`, optional `momentum`, `averageGrad`; attrs `learningRate`, `rho`, `momentum`, `epsilon`. */
export const RMSPROP_UPDATE = 'StrataRMSpropUpdate';
/** Inputs `variable`, `gradient`, optional `momentum`; attrs `learningRate`, `momentum`, `nesterov`. */
export const SGD_UPDATE = 'StrataSGDUpdate';
/** Inputs `variable`, `gradient`, `accumulator`; attrs `learningRate`, `epsilon`. */
export const ADAGRAD_UPDATE = 'StrataAdagradUpdate';

type Backend = 'wasm' | 'cpu';

/** The inputs' and outputs' values, by input name (outputs: every input but the gradient). */
interface Views {
  inputs: Record<string, Float32Array>;
  outputs: Record<string, Float32Array>;
}

/**
 * One update rule: the slot inputs it may take (in output order), its per-element loop, and the
 * wasm SIMD loop (../wasm-kernels/simd-optimizer-loops.ts) for the slots present, with that loop's
 * scalar arguments.
 */
interface UpdateRule {
  slots: readonly string[];
  run(views: Views, n: number, attrs: NamedAttrMap): void;
  simd(attrs: NamedAttrMap, has: (slot: string) => boolean): { loop: string; scalars: number[] };
}

const num = (attrs: NamedAttrMap, name: string): number => attrs[name] as number;
const opt = (r: Record<string, Float32Array>, name: string): Float32Array | null => r[name] ?? null;

const RULES: Record<string, UpdateRule> = {
  [ADAM_UPDATE]: {
    slots: ['m', 'v', 'vHat'],
    run: ({ inputs: i, outputs: o }, n, attrs) =>
      adamUpdate(
        {
          w: i['variable']!,
          g: i['gradient']!,
          m: i['m']!,
          v: i['v']!,
          vHat: opt(i, 'vHat'),
          wOut: o['variable']!,
          mOut: o['m']!,
          vOut: o['v']!,
          vHatOut: opt(o, 'vHat'),
        },
        n,
        num(attrs, 'alpha'),
        num(attrs, 'beta1'),
        num(attrs, 'beta2'),
        num(attrs, 'epsilon'),
      ),
    simd: (attrs, has) => ({
      loop: has('vHat') ? 'adam_amsgrad' : 'adam',
      scalars: [1 - num(attrs, 'beta1'), 1 - num(attrs, 'beta2'), num(attrs, 'alpha'), num(attrs, 'epsilon')],
    }),
  },
  [RMSPROP_UPDATE]: {
    slots: ['velocity', 'momentum', 'averageGrad'],
    run: ({ inputs: i, outputs: o }, n, attrs) =>
      rmspropUpdate(
        {
          w: i['variable']!,
          g: i['gradient']!,
          velocity: i['velocity']!,
          momentum: opt(i, 'momentum'),
          averageGrad: opt(i, 'averageGrad'),
          wOut: o['variable']!,
          velocityOut: o['velocity']!,
          momentumOut: opt(o, 'momentum'),
          averageGradOut: opt(o, 'averageGrad'),
        },
        n,
        num(attrs, 'learningRate'),
        num(attrs, 'rho'),
        num(attrs, 'momentum'),
        num(attrs, 'epsilon'),
      ),
    simd: (attrs, has) => ({
      loop: rmspropName(has('momentum'), has('averageGrad')),
      scalars: ['rho', '', 'learningRate', 'momentum', 'epsilon'].map((a) =>
        a === '' ? 1 - num(attrs, 'rho') : num(attrs, a),
      ),
    }),
  },
  [SGD_UPDATE]: {
    slots: ['momentum'],
    run: ({ inputs: i, outputs: o }, n, attrs) =>
      sgdUpdate(
        {
          w: i['variable']!,
          g: i['gradient']!,
          momentum: opt(i, 'momentum'),
          wOut: o['variable']!,
          momentumOut: opt(o, 'momentum'),
        },
        n,
        num(attrs, 'learningRate'),
        num(attrs, 'momentum'),
        attrs['nesterov'] === true,
      ),
    simd: (attrs, has) => ({
      loop: !has('momentum') ? 'sgd' : attrs['nesterov'] === true ? 'sgd_nesterov' : 'sgd_momentum',
      scalars: [num(attrs, 'learningRate'), num(attrs, 'momentum')],
    }),
  },
  [ADAGRAD_UPDATE]: {
    slots: ['accumulator'],
    run: ({ inputs: i, outputs: o }, n, attrs) =>
      adagradUpdate(
        {
          w: i['variable']!,
          g: i['gradient']!,
          accumulator: i['accumulator']!,
          wOut: o['variable']!,
          accumulatorOut: o['accumulator']!,
        },
        n,
        num(attrs, 'learningRate'),
        num(attrs, 'epsilon'),
      ),
    simd: (attrs) => ({ loop: 'adagrad', scalars: [num(attrs, 'learningRate'), num(attrs, 'epsilon')] }),
  },
};

const LOOP_ARRAYS = new Map(OPTIMIZER_LOOPS.map((fn) => [fn.name, fn.arrays]));
const POOLED = new Set(OPTIMIZER_LOOPS.filter(isPooled).map((fn) => fn.name));

/** A float32's bits as an int32 (the pooled loops take their scalars so). */
function float32Bits(value: number): number {
  return new Int32Array(new Float32Array([value]).buffer)[0]!;
}

/**
 * Runs the first `count` elements (a multiple of 4) of optimizer loop `loop` in blocks on the tile
 * pool's threads (each element is computed alone, so the split changes no float). False, running
 * nothing, when there is no pool for this much memory traffic or the loop has no pooled form.
 */
function runOnPool(backend: WasmBackend, loop: string, arrays: number[], count: number, scalars: number[]): boolean {
  const pool = POOLED.has(loop) ? tilePoolFor(count * arrays.length) : null;
  const simd = pool === null ? null : simdKernelsFor(backend);
  if (pool === null || simd === null) return false;
  const bits = scalars.map(float32Bits);
  const per = blockShare(count, pool, 4);
  const job = loopJob(pool, simd, pooledLoopName(loop), 1);
  for (let start = 0; start < count; start += per) {
    job.call(...arrays.map((at) => at + 4 * start), 4 * Math.min(per, count - start), ...bits);
  }
  job.run();
  return true;
}

/** The kernel input behind a loop's array name (`w`, `g`, a slot; outputs end in `Out`). */
function loopArrayInput(name: string): { output: boolean; input: string } {
  const output = name.endsWith('Out');
  const base = output ? name.slice(0, -3) : name;
  return { output, input: base === 'w' ? 'variable' : base === 'g' ? 'gradient' : base };
}

/**
 * Runs `rule` over the wasm heap views: the SIMD loop for the first multiple of 4 elements (when
 * this runtime compiles it), the JavaScript loop for the rest.
 */
function runOnWasmHeap(backend: WasmBackend, rule: UpdateRule, views: Views, n: number, attrs: NamedAttrMap): void {
  const memory = backendMemory(backend);
  const loops = memory === null ? null : optimizerLoops(memory);
  let done = 0;
  if (loops !== null) {
    const { loop, scalars } = rule.simd(attrs, (slot) => views.inputs[slot] !== undefined);
    const arrays = LOOP_ARRAYS.get(loop)!.map((name) => {
      const { output, input } = loopArrayInput(name);
      return (output ? views.outputs : views.inputs)[input]!.byteOffset;
    });
    done = n - (n % 4);
    if (!runOnPool(backend, loop, arrays, done, scalars)) loops[loop]!(...arrays, done * 4, ...scalars);
  }
  if (done === n) return;
  const rest = (r: Record<string, Float32Array>) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.subarray(done)]));
  rule.run({ inputs: rest(views.inputs), outputs: rest(views.outputs) }, n - done, attrs);
}

/** The named inputs present, checked: float32, all of the variable's shape. */
function checkedInputs(kernelName: string, rule: UpdateRule, inputs: Record<string, TensorInfo | undefined>) {
  const names = ['variable', 'gradient', ...rule.slots.filter((s) => inputs[s] !== undefined)];
  const variable = inputs['variable'];
  if (variable === undefined || inputs['gradient'] === undefined) {
    throw new Error(`${kernelName}: expected the inputs 'variable' and 'gradient'`);
  }
  for (const name of names) {
    const t = inputs[name]!;
    if (t.dtype !== 'float32' || !tf.util.arraysEqual(t.shape, variable.shape)) {
      throw new Error(
        `${kernelName}: input '${name}' must be float32 of the variable's shape [${variable.shape.join(', ')}], ` +
          `got ${t.dtype} [${t.shape.join(', ')}]`,
      );
    }
  }
  return { names, shape: variable.shape, n: tf.util.sizeFromShape(variable.shape) };
}

function updateKernel(backendName: Backend, kernelName: string): KernelFunc {
  const rule = RULES[kernelName]!;
  return ({ inputs, backend, attrs }) => {
    const { names, shape, n } = checkedInputs(kernelName, rule, inputs as Record<string, TensorInfo | undefined>);
    const outNames = names.filter((name) => name !== 'gradient');
    const input = (name: string): TensorInfo => (inputs as Record<string, TensorInfo>)[name]!;
    if (backendName === 'wasm') {
      const wasm = asWasmBackend(backend, kernelName);
      // Allocate every output first: an allocation may move the heap and detach earlier views.
      const outs = outNames.map(() => wasm.makeOutput(shape, 'float32'));
      const view = (info: TensorInfo): Float32Array => wasm.typedArrayFromHeap(info) as Float32Array;
      const views = {
        inputs: Object.fromEntries(names.map((name) => [name, view(input(name))])),
        outputs: Object.fromEntries(outNames.map((name, k) => [name, view(outs[k]!)])),
      };
      runOnWasmHeap(wasm, rule, views, n, attrs ?? {});
      return outs;
    }
    const cpu = backend as {
      data: { get(dataId: object): { values?: unknown } };
      makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
    };
    const outArrays = outNames.map(() => new Float32Array(n));
    rule.run(
      {
        inputs: Object.fromEntries(
          names.map((name) => [name, cpu.data.get(input(name).dataId).values as Float32Array]),
        ),
        outputs: Object.fromEntries(outNames.map((name, k) => [name, outArrays[k]!])),
      },
      n,
      attrs ?? {},
    );
    return outArrays.map((values) => cpu.makeTensorInfo(shape, 'float32', values));
  };
}

/** Registers the fused update kernels for `backendName` (idempotent). */
export function registerFusedOptimizerUpdates(backendName: Backend): void {
  for (const kernelName of Object.keys(RULES)) {
    const config: KernelConfig = { kernelName, backendName, kernelFunc: updateKernel(backendName, kernelName) };
    if (tf.getKernel(kernelName, backendName) === undefined) tf.registerKernel(config);
  }
}

/**
 * Runs the fused update `kernelName` for one variable when the current backend has it and the
 * tensors are float32, assigning the new weight and slots (`slots` in the kernel's input order,
 * absent ones left out). Returns false, changing nothing, when the caller must use the composed ops.
 */
export function applyFusedUpdate(
  kernelName: string,
  variable: tf.Variable,
  gradient: tf.Tensor,
  slots: Record<string, tf.Variable>,
  attrs: NamedAttrMap,
): boolean {
  if (tf.getKernel(kernelName, tf.getBackend()) === undefined) return false;
  const all = [variable, gradient, ...Object.values(slots)];
  if (all.some((t) => t.dtype !== 'float32' || !tf.util.arraysEqual(t.shape, variable.shape))) return false;
  const outputs = tf.engine().runKernel(kernelName, { variable, gradient, ...slots }, attrs) as unknown as tf.Tensor[];
  const targets = [variable, ...RULES[kernelName]!.slots.filter((s) => slots[s] !== undefined).map((s) => slots[s]!)];
  targets.forEach((target, k) => target.assign(outputs[k]!));
  // The variables now hold the outputs' buffers; free the output handles right away.
  tf.dispose(outputs);
  return true;
}

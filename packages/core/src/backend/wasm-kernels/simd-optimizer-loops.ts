/**
 * The fused optimizer updates of ../fused/optimizer-math.ts as WebAssembly SIMD loops over the
 * TF.js WASM backend's heap (see ../wasm-simd/simd-loop-compiler.ts), the same formulas term for
 * term. A loop handles the largest multiple of 4 elements; the caller finishes the last 0–3 with
 * ../fused/optimizer-math.ts.
 */
import type { WasmFunction } from '../wasm-simd/encoding.js';
import { heapModule } from '../wasm-simd/heap-module.js';
import { MAX_ARGS } from '../wasm-threads/tile-pool-worker.js';
import { compileLoop, E, type LoopFunction, type Stmt } from '../wasm-simd/simd-loop-compiler.js';

const { load, s, t, add, sub, mul, div, max, sqrt } = E;

/** `adam` / `adam_amsgrad`: arrays w, g, m, v, [vHat], wOut, mOut, vOut, [vHatOut]; scalars c1 = 1−β₁, c2 = 1−β₂, alpha, eps. */
function adam(amsgrad: boolean): LoopFunction {
  const body: Stmt[] = [
    { let: 'g', value: load('g') },
    { let: 'm', value: add(load('m'), mul(sub(t('g'), load('m')), s('c1'))) },
    { store: 'mOut', value: t('m') },
    { let: 'v', value: add(load('v'), mul(sub(mul(t('g'), t('g')), load('v')), s('c2'))) },
    { store: 'vOut', value: t('v') },
  ];
  if (amsgrad) body.push({ let: 'v', value: max(load('vHat'), t('v')) }, { store: 'vHatOut', value: t('v') });
  body.push({ store: 'wOut', value: sub(load('w'), div(mul(t('m'), s('alpha')), add(sqrt(t('v')), s('eps')))) });
  return {
    name: amsgrad ? 'adam_amsgrad' : 'adam',
    arrays: amsgrad
      ? ['w', 'g', 'm', 'v', 'vHat', 'wOut', 'mOut', 'vOut', 'vHatOut']
      : ['w', 'g', 'm', 'v', 'wOut', 'mOut', 'vOut'],
    scalars: ['c1', 'c2', 'alpha', 'eps'],
    body,
  };
}

/** `rmsprop[_momentum][_centered]`: scalars rho, c = 1−ρ, lr, mu, eps. */
function rmsprop(momentum: boolean, centered: boolean): LoopFunction {
  const body: Stmt[] = [
    { let: 'g', value: load('g') },
    { let: 'v', value: add(mul(s('rho'), load('velocity')), mul(s('c'), mul(t('g'), t('g')))) },
    { store: 'velocityOut', value: t('v') },
  ];
  if (centered) {
    body.push(
      { let: 'a', value: add(mul(s('rho'), load('averageGrad')), mul(s('c'), t('g'))) },
      { store: 'averageGradOut', value: t('a') },
      { let: 'den', value: add(sub(t('v'), mul(t('a'), t('a'))), s('eps')) },
    );
  } else {
    body.push({ let: 'den', value: add(t('v'), s('eps')) });
  }
  body.push({ let: 'inc', value: div(mul(s('lr'), t('g')), sqrt(t('den'))) });
  if (momentum) {
    body.push(
      { let: 'mom', value: add(mul(s('mu'), load('momentum')), t('inc')) },
      { store: 'momentumOut', value: t('mom') },
      { store: 'wOut', value: sub(load('w'), t('mom')) },
    );
  } else {
    body.push({ store: 'wOut', value: sub(load('w'), t('inc')) });
  }
  const slots = ['velocity', ...(momentum ? ['momentum'] : []), ...(centered ? ['averageGrad'] : [])];
  return {
    name: rmspropName(momentum, centered),
    arrays: ['w', 'g', ...slots, 'wOut', ...slots.map((x) => `${x}Out`)],
    scalars: ['rho', 'c', 'lr', 'mu', 'eps'],
    body,
  };
}

/** The export name of the RMSprop loop for these options. */
export function rmspropName(momentum: boolean, centered: boolean): string {
  return `rmsprop${momentum ? '_momentum' : ''}${centered ? '_centered' : ''}`;
}

/** `sgd` / `sgd_momentum` / `sgd_nesterov`: scalars lr, mu. */
function sgd(kind: 'plain' | 'momentum' | 'nesterov'): LoopFunction {
  const body: Stmt[] = [{ let: 'step', value: mul(load('g'), s('lr')) }];
  if (kind === 'plain') body.push({ store: 'wOut', value: sub(load('w'), t('step')) });
  else {
    body.push(
      { let: 'm', value: sub(mul(load('momentum'), s('mu')), t('step')) },
      { store: 'momentumOut', value: t('m') },
      {
        store: 'wOut',
        value: kind === 'nesterov' ? add(load('w'), sub(mul(t('m'), s('mu')), t('step'))) : add(load('w'), t('m')),
      },
    );
  }
  return {
    name: kind === 'plain' ? 'sgd' : `sgd_${kind}`,
    arrays: kind === 'plain' ? ['w', 'g', 'wOut'] : ['w', 'g', 'momentum', 'wOut', 'momentumOut'],
    scalars: ['lr', 'mu'],
    body,
  };
}

/** `adagrad`: scalars lr, eps. */
function adagrad(): LoopFunction {
  return {
    name: 'adagrad',
    arrays: ['w', 'g', 'accumulator', 'wOut', 'accumulatorOut'],
    scalars: ['lr', 'eps'],
    body: [
      { let: 'g', value: load('g') },
      { let: 'acc', value: add(load('accumulator'), mul(t('g'), t('g'))) },
      { store: 'accumulatorOut', value: t('acc') },
      { store: 'wOut', value: sub(load('w'), div(mul(s('lr'), t('g')), sqrt(add(t('acc'), s('eps'))))) },
    ],
  };
}

/** Every loop, by export name. */
export const OPTIMIZER_LOOPS: readonly LoopFunction[] = [
  adam(false),
  adam(true),
  ...[false, true].flatMap((momentum) => [false, true].map((centered) => rmsprop(momentum, centered))),
  sgd('plain'),
  sgd('momentum'),
  sgd('nesterov'),
  adagrad(),
];

/**
 * The loops that Strata's SIMD module (simd-kernels.ts) also exports as `pooled_<name>`, for the
 * tile pool's threads (../wasm-threads/tile-pool.ts): the same loop with its scalars passed as
 * float32 bits, so that a call fits the pool's table of at most {@link MAX_ARGS} int32 arguments
 * (Adam with AMSGrad and RMSprop with both momentum and centering take more and stay on one thread).
 */
export function pooledOptimizerLoops(): WasmFunction[] {
  return OPTIMIZER_LOOPS.filter(isPooled).map((fn) =>
    compileLoop(fn, { name: pooledLoopName(fn.name), scalarBits: true }),
  );
}

/** Whether optimizer loop `fn` has a `pooled_` form (its call fits the pool's table). */
export function isPooled(fn: LoopFunction): boolean {
  return fn.arrays.length + 1 + fn.scalars.length <= MAX_ARGS;
}

/** The tile pool's form of optimizer loop `name` (see {@link pooledOptimizerLoops}). */
export function pooledLoopName(name: string): `pooled_${string}` {
  return `pooled_${name}`;
}

/** A loop: its array arguments are byte offsets, then the byte length, then its scalars. */
export type SimdLoop = (...args: number[]) => void;

/**
 * The loops instantiated on `memory` (shared or not, see ../wasm-simd/heap-module.ts), or null
 * when this runtime cannot run them (no WebAssembly SIMD): the caller then runs ../fused/optimizer-math.ts.
 */
export const optimizerLoops = heapModule<Record<string, SimdLoop>>(() => OPTIMIZER_LOOPS.map((fn) => compileLoop(fn)));

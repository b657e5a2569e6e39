/**
 * The optimizer loops on bare memories: on an unshared memory (the one-thread backend's heap) and
 * on shared ones (the threaded backend's), every loop leaves the very same bytes, so does its form
 * for the tile pool (scalars as float32 bits), and Adam's and SGD-with-momentum's numbers are the
 * formulas' with float32 rounding after every operation.
 */
import { describe, expect, it } from 'vitest';
import { seededValues } from './test-support.test-suite.js';
import { isPooled, OPTIMIZER_LOOPS, optimizerLoops, pooledLoopName } from './simd-optimizer-loops.js';
import { simdKernelsOn } from './simd-kernels.js';

const N = 1000; // floats per array; 4000 bytes apart, so every array is 16-byte aligned
const fr = Math.fround;
const SCALARS = [0.1, 0.001, 0.01, 0.9, 1e-7];

const memories = (): [string, WebAssembly.Memory][] => [
  ['unshared', new WebAssembly.Memory({ initial: 1 })],
  ['shared, maximum = initial', new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true })],
  ['shared, maximum 65536 pages (threaded tfjs)', new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true })],
];

/**
 * Runs loop `name` on `memory` with arrays k at byte 4000·k (inputs seeded, slots ≥ 0); `pooled`:
 * its form in Strata's SIMD module for the tile pool, the scalars passed as float32 bits.
 */
function run(memory: WebAssembly.Memory, name: string, pooled = false): Float32Array {
  const fn = OPTIMIZER_LOOPS.find((f) => f.name === name)!;
  fn.arrays.forEach((array, k) => {
    const values = seededValues(N, 20 + k);
    const slot = array !== 'w' && array !== 'g';
    new Float32Array(memory.buffer, 4000 * k, N).set(slot ? values.map(Math.abs) : values);
  });
  const arrays = fn.arrays.map((_, k) => 4000 * k);
  const scalars = SCALARS.slice(0, fn.scalars.length);
  if (pooled) {
    const bits = new Int32Array(Float32Array.from(scalars).buffer);
    simdKernelsOn(memory)![pooledLoopName(name)]!(...arrays, 4 * N, ...bits);
  } else {
    const loops = optimizerLoops(memory);
    expect(loops).not.toBeNull();
    loops![name]!(...arrays, 4 * N, ...scalars);
  }
  return new Float32Array(memory.buffer.slice(0, 4000 * fn.arrays.length));
}

describe('the optimizer loops on unshared and shared memories', () => {
  for (const { name } of OPTIMIZER_LOOPS) {
    it(`${name}: the same bytes on every memory`, () => {
      const [first, ...others] = memories().map(([, memory]) => new Uint8Array(run(memory, name).buffer));
      for (const bytes of others) expect(Buffer.compare(bytes, first!)).toBe(0);
    });
  }

  for (const fn of OPTIMIZER_LOOPS.filter(isPooled)) {
    it(`${fn.name}: its tile-pool form (scalars as float32 bits) leaves the same bytes`, () => {
      const [, shared] = memories()[2]!;
      const direct = new Uint8Array(run(shared, fn.name).buffer);
      const pooled = new Uint8Array(run(shared, fn.name, true).buffer);
      expect(Buffer.compare(pooled, direct)).toBe(0);
    });
  }

  it('every loop but adam_amsgrad and rmsprop_momentum_centered has a tile-pool form', () => {
    expect(OPTIMIZER_LOOPS.filter((fn) => !isPooled(fn)).map((fn) => fn.name)).toEqual([
      'adam_amsgrad',
      'rmsprop_momentum_centered',
    ]);
  });

  it('adam and sgd_momentum give the float32 formulas on a shared memory', () => {
    const shared = memories()[2]![1];
    const at = (f: Float32Array, k: number, i: number) => f[1000 * k + i]!;
    const [c1, c2, alpha, eps] = SCALARS.map(fr) as [number, number, number, number];
    const adam = run(shared, 'adam'); // w g m v wOut mOut vOut
    const sgd = run(shared, 'sgd_momentum'); // w g momentum wOut momentumOut; scalars lr, mu
    const [lr, mu] = [fr(SCALARS[0]!), fr(SCALARS[1]!)];
    for (let i = 0; i < N; i++) {
      const [w, g, m0, v0] = [0, 1, 2, 3].map((k) => at(adam, k, i)) as [number, number, number, number];
      const m = fr(m0 + fr(fr(g - m0) * c1));
      const v = fr(v0 + fr(fr(fr(g * g) - v0) * c2));
      expect([at(adam, 4, i), at(adam, 5, i), at(adam, 6, i)]).toEqual([
        fr(w - fr(fr(m * alpha) / fr(fr(Math.sqrt(v)) + eps))),
        m,
        v,
      ]);
      const [sw, sg, sm] = [0, 1, 2].map((k) => at(sgd, k, i)) as [number, number, number];
      const momentum = fr(fr(sm * mu) - fr(sg * lr));
      expect([at(sgd, 3, i), at(sgd, 4, i)]).toEqual([fr(sw + momentum), momentum]);
    }
  });
});

/**
 * The tile pool on a shared memory of its own (no TF.js backend involved): products computed by
 * the SIMD tiles on worker threads are bit-for-bit those of the calling thread alone, for odd
 * and even row counts; a worker held between reading a job and claiming from it never runs a
 * block (of that job or a newer one) and the caller finishes alone; a worker that cannot start
 * leaves a one-thread pool that still computes; a worker stuck in a block makes the caller give up
 * with an error rather than wait for ever; a process with a pool exits on its own.
 * The pool in the running threaded backend is checked by tile-pool-backend.test.ts.
 */
import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { simdKernelsOn, type SimdKernels } from '../wasm-kernels/simd-kernels.js';
import { copyIntoPanels, runProductTiles } from '../wasm-kernels/tiled-matmul.js';
import { seededValues } from '../wasm-kernels/test-support.test-suite.js';
import { encodeModule } from '../wasm-simd/encoding.js';
import { op, params, seq } from '../wasm-simd/instructions.js';
import { createTilePool, type TilePool } from './tile-pool.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const memory = new WebAssembly.Memory({ initial: 512, maximum: 4096, shared: true });
const simd = simdKernelsOn(memory)!;
const module = simdKernelsOn.compiled(true)!;
const pools: TilePool[] = [];
afterAll(() => Promise.all(pools.map((pool) => pool.stop())));

async function startedPool(options: { workers: number; callerWorks?: boolean; hold?: Int32Array }): Promise<TilePool> {
  const pool = createTilePool({ memory, module, exports: simd, ...options });
  pools.push(pool);
  await pool.ready;
  return pool;
}

const workersOnlyPools = new Map<number, Promise<TilePool>>();
/** A pool whose caller leaves every block of a job to its `workers` workers (one per count). */
function workersOnly(workers: number): Promise<TilePool> {
  let pool = workersOnlyPools.get(workers);
  if (pool === undefined) workersOnlyPools.set(workers, (pool = startedPool({ workers, callerWorks: false })));
  return pool;
}

const floats = (): Float32Array => new Float32Array(memory.buffer);

/** Heap layout of one product: A [M, K] at `base`, B [K, N], its panels, and the output. */
function productLayout(m: number, k: number, n: number, seed: number, base = 1024) {
  const a = base;
  const b = a + 4 * m * k;
  const panels = b + 4 * k * n;
  const out = panels + 4 * k * n;
  floats().set(seededValues(m * k, seed), a / 4);
  floats().set(seededValues(k * n, seed + 1), b / 4);
  return { a, b, panels, out, size: m * n };
}

/** out = A·B by the tiles (B copied into panels first) on `pool` (null: the calling thread only). */
function tiledProduct(
  pool: TilePool | null,
  m: number,
  k: number,
  n: number,
  seed: number,
  base?: number,
): Float32Array {
  const at = productLayout(m, k, n, seed, base);
  floats().fill(0, at.out / 4, at.out / 4 + at.size);
  copyIntoPanels(pool, simd, at.panels, at.b, k, n / 16, 4 * n);
  runProductTiles(pool, simd, {
    out: at.out,
    a: at.a,
    aRowStep: 4 * k,
    aStep: 4,
    b: at.panels,
    bStride: 64,
    panelStep: 64 * k,
    m,
    k,
    n,
  });
  return floats().slice(at.out / 4, at.out / 4 + at.size);
}

const firstDifference = (x: Float32Array, y: Float32Array): number => x.findIndex((v, i) => !Object.is(v, y[i]));

const SHAPES: [string, number, number, number][] = [
  ['odd M', 301, 96, 32],
  ['a Dense layer [128, 784]·[784, 512]', 128, 784, 512],
  ['one panel', 9, 600, 16],
  ['a single row', 1, 64, 48],
  ['odd M, long K', 33, 4099, 64],
];

describe('the tile pool', () => {
  for (const workers of [1, 3]) {
    for (const [label, m, k, n] of SHAPES) {
      it(`gives the one-thread product bit for bit with ${workers} worker(s), all blocks on workers: ${label}`, async () => {
        const pool = await workersOnly(workers);
        expect(pool.threads).toBe(1 + workers);
        const alone = tiledProduct(null, m, k, n, 7);
        const blocksBefore = pool.workerBlocks;
        const pooled = tiledProduct(pool, m, k, n, 7);
        expect(pool.workerBlocks).toBeGreaterThan(blocksBefore);
        expect(firstDifference(pooled, alone), 'first differing element').toBe(-1);
        // And a plain reference: each element a float32 dot product (within rounding).
        const a = seededValues(m * k, 7);
        const b = seededValues(k * n, 8);
        for (const [r, c] of [
          [0, 0],
          [m - 1, n - 1],
          [m >> 1, 17 % n],
        ] as const) {
          let dot = 0;
          for (let p = 0; p < k; p++) dot += a[r * k + p]! * b[p * n + c]!;
          expect(pooled[r * n + c]).toBeCloseTo(dot, 3);
        }
      });
    }
  }

  it('with the caller working too, gives the same floats over many jobs', async () => {
    const pool = await startedPool({ workers: 1 });
    const alone = tiledProduct(null, 301, 96, 32, 11);
    for (let i = 0; i < 20; i++) expect(firstDifference(tiledProduct(pool, 301, 96, 32, 11), alone)).toBe(-1);
  });

  it('finishes without a held worker, whose stale claim then fails even while a newer job is open', async () => {
    const hold = new Int32Array(new SharedArrayBuffer(8));
    const pool = await startedPool({ workers: 1, hold });
    // Job 1: column sums (adding: a block run twice would show) over 8 calls, one per block.
    const src = 1 << 20;
    const sums = src + 4096;
    const copies = sums + 4096;
    floats().set(seededValues(1024, 51), src / 4);
    const sumCall = (i: number): number[] => [sums + 64 * i, src + 16 * i, 16, 4];
    // Job 2: a different loop (panel copies) over 8 calls, two per block.
    const copyCall = (i: number): number[] => [copies + 256 * i, src + 64 * i, 4, 1, 512];
    const run = (loop: 'column_sum' | 'copy_panels', calls: number[][], perBlock: number): void => {
      const job = pool.job(loop, perBlock);
      for (const args of calls) job.call(...args);
      job.run();
    };
    const expected = (): [Float32Array, Float32Array] => {
      floats().fill(0, sums / 4, sums / 4 + 128);
      for (let i = 0; i < 8; i++) simd.column_sum(...(sumCall(i) as [number, number, number, number]));
      for (let i = 0; i < 8; i++) simd.copy_panels(...(copyCall(i) as [number, number, number, number, number]));
      return [floats().slice(sums / 4, sums / 4 + 128), floats().slice(copies / 4, copies / 4 + 512)];
    };
    const [sumsAlone, copiesAlone] = expected();
    floats().fill(0, sums / 4, sums / 4 + 128);
    floats().fill(0, copies / 4, copies / 4 + 512);
    // The worker reads job 1 and is held before claiming, as if descheduled: the caller does it all.
    Atomics.store(hold, 0, 1);
    const blocks = pool.workerBlocks;
    run('column_sum', [0, 1, 2, 3, 4, 5, 6, 7].map(sumCall), 1);
    expect(firstDifference(floats().slice(sums / 4, sums / 4 + 128), sumsAlone)).toBe(-1);
    while (Atomics.load(hold, 1) === 0) await new Promise((wake) => setTimeout(wake, 5));
    expect(pool.workerBlocks).toBe(blocks);
    // Job 2 is published (which releases the worker) and left to the workers: the held worker's
    // claim with job 1's generation must fail although job 2 has blocks left; it then takes job 2
    // as job 2. A claim with job 1's arguments would add sums into job 2's output.
    pool.callerWorks = false;
    try {
      run('copy_panels', [0, 1, 2, 3, 4, 5, 6, 7].map(copyCall), 2);
    } finally {
      pool.callerWorks = true;
    }
    expect(pool.workerBlocks).toBe(blocks + 4);
    expect(firstDifference(floats().slice(copies / 4, copies / 4 + 512), copiesAlone)).toBe(-1);
    expect(firstDifference(floats().slice(sums / 4, sums / 4 + 128), sumsAlone)).toBe(-1);
  });

  it('runs on the calling thread alone when its workers cannot start, and after it stops', async () => {
    // A module compiled for unshared memories cannot be instantiated on the shared one.
    const broken = createTilePool({ memory, module: simdKernelsOn.compiled(false)!, exports: simd, workers: 2 });
    pools.push(broken);
    await broken.ready;
    expect(broken.threads).toBe(1);
    const alone = tiledProduct(null, 31, 40, 16, 41);
    expect(firstDifference(tiledProduct(broken, 31, 40, 16, 41), alone)).toBe(-1);
    const pool = await startedPool({ workers: 1 });
    await pool.stop();
    expect(pool.threads).toBe(1);
    expect(firstDifference(tiledProduct(pool, 31, 40, 16, 41), alone)).toBe(-1);
  });

  it('gives up with an error when a worker never finishes its block, instead of waiting for ever', async () => {
    // spin(flag): loops while the int32 at byte `flag` is not 0, as a worker stopped in a block would.
    const spin = new WebAssembly.Module(
      encodeModule(
        [
          {
            name: 'spin',
            params: params(1),
            locals: [],
            body: seq([0x03, 0x40], op.get(0), op.i32Load, [0x0d, 0], [0x0b]),
          },
        ],
        true,
      ),
    );
    const flag = 16;
    const ints = new Int32Array(memory.buffer);
    Atomics.store(ints, flag / 4, 1);
    const exports = new WebAssembly.Instance(spin, { env: { memory } }).exports;
    const pool = createTilePool({ memory, module: spin, exports, workers: 1, callerWorks: false, stallMs: 300 });
    pools.push(pool);
    await pool.ready;
    const job = pool.job('spin', 1);
    job.call(flag);
    job.call(flag);
    expect(() => job.run()).toThrow(/tile pool: no block of a 'spin' job finished in 0.3 s/);
    Atomics.store(ints, flag / 4, 0); // lets the worker go, so that it can stop
  });

  it('refuses an unshared memory and an unknown loop, naming them', async () => {
    const unshared = new WebAssembly.Memory({ initial: 1 });
    const exports = simdKernelsOn(unshared) as SimdKernels;
    expect(() => createTilePool({ memory: unshared, module, exports, workers: 1 })).toThrow(/must be shared/);
    const pool = await startedPool({ workers: 1 });
    expect(() => pool.job('no_such_loop', 1)).toThrow("tile pool: the module exports no loop 'no_such_loop'");
  });

  it('does not keep the process alive', { timeout: 120_000 }, async () => {
    const script = `
      const { simdKernelsOn } = await import('./packages/core/src/backend/wasm-kernels/simd-kernels.ts');
      const { createTilePool } = await import('./packages/core/src/backend/wasm-threads/tile-pool.ts');
      const memory = new WebAssembly.Memory({ initial: 16, maximum: 64, shared: true });
      const pool = createTilePool({ memory, module: simdKernelsOn.compiled(true), exports: simdKernelsOn(memory), workers: 1 });
      await pool.ready;
      const job = pool.job('column_sum', 1);
      for (let i = 0; i < 8; i++) job.call(4096 + 64 * i, 8192, 16, 4);
      job.run();
      console.log('threads', pool.threads);
    `;
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((done) => {
      execFile(
        process.execPath,
        ['--conditions=strata-source', '--import', 'tsx', '--input-type=module', '-e', script],
        { cwd: repoRoot, timeout: 100_000 },
        (error, out) =>
          done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout: out }),
      );
    });
    expect(stdout.trim()).toBe('threads 2');
    expect(code).toBe(0);
  });
});

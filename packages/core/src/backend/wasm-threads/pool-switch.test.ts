/**
 * The thread-pool switch: the pool global's address is read from the threaded WASM binary, and
 * the switch turns the pool on only for the call it wraps. Training on threads with the same
 * results as on one thread is checked in fresh processes by tests/acceptance/threads.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPoolSwitch, findThreadPoolAddress, type PoolModule } from './pool-switch.js';

const require = createRequire(import.meta.url);
const scratch = mkdtempSync(join(tmpdir(), 'strata-pool-switch-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A fake module whose `get_threads_count` reads the pool pointer at `address`, as TF.js's does. */
function fakeModule(address: number, pool: number, honest = true): PoolModule {
  const HEAP32 = new Int32Array(new SharedArrayBuffer(64));
  HEAP32[address / 4] = pool;
  const getThreadsCount = (): number => (!honest || HEAP32[address / 4] !== 0 ? 2 : -1);
  return { HEAP32, tfjs: { getThreadsCount } };
}

describe('findThreadPoolAddress', () => {
  it("finds the pool global in TF.js's threaded SIMD build", () => {
    const wasm = require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.wasm');
    const address = findThreadPoolAddress(wasm);
    expect(address).toBeGreaterThan(0);
    expect(address! % 4).toBe(0);
  });

  it('returns null for a module without get_threads_count', () => {
    const empty = join(scratch, 'empty.wasm');
    writeFileSync(empty, new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    expect(findThreadPoolAddress(empty)).toBeNull();
  });
});

describe('createPoolSwitch', () => {
  it('leaves the pool off and turns it on only inside withThreads, also when the body throws', () => {
    const module = fakeModule(8, 1234);
    const pool = createPoolSwitch(module, 8)!;
    expect(pool).not.toBeNull();
    expect(module.HEAP32[2]).toBe(0);
    expect(pool.withThreads(() => module.HEAP32[2])).toBe(1234);
    expect(module.HEAP32[2]).toBe(0);
    expect(() =>
      pool.withThreads(() => {
        throw new Error('kernel failed');
      }),
    ).toThrow('kernel failed');
    expect(module.HEAP32[2]).toBe(0);
  });

  it('refuses an address that is not the pool and leaves memory as it was', () => {
    const module = fakeModule(8, 1234, false);
    expect(createPoolSwitch(module, 8)).toBeNull();
    expect(module.HEAP32[2]).toBe(1234);
    expect(createPoolSwitch(fakeModule(8, 0), 8)).toBeNull();
  });
});

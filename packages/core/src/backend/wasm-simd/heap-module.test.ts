/**
 * Instantiation on a backend's heap: the memory is found where both tfjs-backend-wasm builds keep
 * it, a module is compiled once per sharedness and instantiated once per memory, and its loops
 * write to that very memory, unshared or shared, also after it grows.
 */
import { describe, expect, it } from 'vitest';
import { ValueType, type WasmFunction } from './encoding.js';
import { backendMemory, hasWasmSimd, heapModule, isSharedMemory } from './heap-module.js';
import { op, range, seq } from './instructions.js';

/** scale(address, byteLength, factor): floats *= factor, 4 at a time (v128). */
const scale: WasmFunction = {
  name: 'scale',
  params: [ValueType.i32, ValueType.i32, ValueType.f32],
  locals: [ValueType.i32, ValueType.v128],
  body: seq(
    op.get(2),
    op.f32x4Splat,
    op.set(4),
    range(
      3,
      op.i32(0),
      1,
      seq(
        op.get(0),
        op.get(3),
        op.add,
        op.get(0),
        op.get(3),
        op.add,
        op.v128Load,
        op.get(4),
        op.f32x4Mul,
        op.v128Store,
      ),
      16,
    ),
  ),
};
type Scale = { scale(address: number, byteLength: number, factor: number): void };

describe('heapModule', () => {
  it('this engine has WebAssembly SIMD (so the tests below run the loops)', () => {
    expect(hasWasmSimd()).toBe(true);
  });

  it('runs the loops on an unshared and on a shared memory, also after it grows', () => {
    let builds = 0;
    const loops = heapModule<Scale>(() => {
      builds++;
      return [scale];
    });
    const memories = [
      new WebAssembly.Memory({ initial: 1 }),
      new WebAssembly.Memory({ initial: 1, maximum: 3, shared: true }),
      new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true }),
    ];
    for (const memory of memories) {
      const exports = loops(memory);
      expect(exports).not.toBeNull();
      expect(loops(memory)).toBe(exports);
      new Float32Array(memory.buffer, 32, 8).set([1, 2, 3, 4, 5, 6, 7, 8]);
      exports!.scale(32, 32, 0.5);
      expect([...new Float32Array(memory.buffer, 32, 8)]).toEqual([0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4]);
      memory.grow(1);
      const end = 65536 + 64;
      new Float32Array(memory.buffer, end, 4).set([2, 4, 6, 8]);
      exports!.scale(end, 16, 3);
      expect([...new Float32Array(memory.buffer, end, 4)]).toEqual([6, 12, 18, 24]);
    }
    expect(isSharedMemory(memories[0]!)).toBe(false);
    expect(isSharedMemory(memories[1]!)).toBe(true);
    expect(builds).toBe(1);
  });

  it('gives null when the engine refuses the module (the caller takes its JS path)', () => {
    const broken = heapModule<Scale>(() => [{ ...scale, body: [0xff] }]);
    expect(broken(new WebAssembly.Memory({ initial: 1 }))).toBeNull();
  });
});

describe('backendMemory', () => {
  const unshared = new WebAssembly.Memory({ initial: 1 });
  const shared = new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true });

  it('finds the memory the one-thread build exports and the one the threaded build creates', () => {
    expect(backendMemory({ wasm: { asm: { memory: unshared } } })).toBe(unshared);
    expect(backendMemory({ wasm: { asm: {}, wasmMemory: shared } })).toBe(shared);
  });

  it('gives null when the backend hides it', () => {
    expect(backendMemory({})).toBeNull();
    expect(backendMemory({ wasm: { asm: { memory: new ArrayBuffer(8) } } })).toBeNull();
  });
});

/**
 * The binary encoding: LEB128 numbers against the spec's examples, modules the engine accepts,
 * and the memory import matched against real memories, unshared and shared (the import-matching
 * rule: same sharedness, and a shared import's maximum at least the memory's).
 */
import { describe, expect, it } from 'vitest';
import { encodeModule, MAX_PAGES, repeat, s32, u32, ValueType, type WasmFunction } from './encoding.js';
import { op, seq } from './instructions.js';

/** `store(address, value)`: memory[address] = value (an i32), to see the import is the memory. */
const store: WasmFunction = {
  name: 'store',
  params: repeat(ValueType.i32, 2),
  locals: [],
  body: seq(op.get(0), op.get(1), [0x36, 2, 0]), // i32.store align=4
};

const instantiate = (bytes: Uint8Array<ArrayBuffer>, memory: WebAssembly.Memory) =>
  new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });

describe('LEB128', () => {
  it('encodes unsigned numbers', () => {
    expect(u32(0)).toEqual([0]);
    expect(u32(127)).toEqual([0x7f]);
    expect(u32(128)).toEqual([0x80, 0x01]);
    expect(u32(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(u32(65536)).toEqual([0x80, 0x80, 0x04]);
    expect(u32(2 ** 32 - 1)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
  });

  it('encodes signed numbers', () => {
    expect(s32(0)).toEqual([0]);
    expect(s32(63)).toEqual([0x3f]);
    expect(s32(64)).toEqual([0xc0, 0x00]);
    expect(s32(-1)).toEqual([0x7f]);
    expect(s32(-64)).toEqual([0x40]);
    expect(s32(-65)).toEqual([0xbf, 0x7f]);
    expect(s32(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(s32(-(2 ** 31))).toEqual([0x80, 0x80, 0x80, 0x80, 0x78]);
  });
});

describe('encodeModule', () => {
  it('builds a valid module whose functions share one type per signature', () => {
    const loops: WasmFunction[] = [
      store,
      { ...store, name: 'store_again' },
      {
        name: 'mixed',
        params: [ValueType.i32, ValueType.f32],
        locals: [ValueType.i32, ValueType.v128, ValueType.v128, ValueType.i32],
        body: [],
      },
    ];
    const bytes = encodeModule(loops, false);
    expect(WebAssembly.validate(bytes)).toBe(true);
    const module = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.exports(module)).toEqual(loops.map((f) => ({ name: f.name, kind: 'function' })));
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    // type section: id 1, size, 2 types (the two stores share one)
    expect([...bytes.subarray(8, 11)]).toEqual([1, bytes[9], 2]);
  });

  it('imports an unshared memory, with or without a maximum', () => {
    for (const memory of [new WebAssembly.Memory({ initial: 1 }), new WebAssembly.Memory({ initial: 2, maximum: 9 })]) {
      const exports = instantiate(encodeModule([store], false), memory).exports as {
        store(a: number, v: number): void;
      };
      exports.store(8, 42);
      expect(new Int32Array(memory.buffer)[2]).toBe(42);
    }
  });

  it('imports a shared memory whatever maximum it declares (up to the wasm32 limit)', () => {
    for (const maximum of [1, 1000, MAX_PAGES]) {
      const memory = new WebAssembly.Memory({ initial: 1, maximum, shared: true });
      expect(memory.buffer).toBeInstanceOf(SharedArrayBuffer);
      const exports = instantiate(encodeModule([store], true), memory).exports as { store(a: number, v: number): void };
      exports.store(12, -7);
      expect(new Int32Array(memory.buffer)[3]).toBe(-7);
    }
  });

  it('must match the sharedness of the memory (so the caller encodes per memory)', () => {
    const shared = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true });
    const unshared = new WebAssembly.Memory({ initial: 1 });
    expect(() => instantiate(encodeModule([store], false), shared)).toThrow(WebAssembly.LinkError);
    expect(() => instantiate(encodeModule([store], true), unshared)).toThrow(WebAssembly.LinkError);
  });

  it('a shared import with a maximum below the memory’s is refused (why the import declares the limit)', () => {
    // The rule MAX_PAGES relies on, checked on the engine: the import's maximum must be ≥ the memory's.
    const memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
    const bytes = encodeModule([store], true);
    const lowered = Uint8Array.from(bytes);
    const at = bytes.findIndex((_, i) => bytes[i] === 0x03 && bytes[i + 1] === 0 && bytes[i + 4] === 0x04);
    expect(at).toBeGreaterThan(0);
    lowered.set([0x80, 0x80, 0x02], at + 2); // maximum 32768 pages instead of 65536
    expect(() => instantiate(lowered, memory)).toThrow(/maximum/);
    expect(() => instantiate(bytes, memory)).not.toThrow();
  });
});

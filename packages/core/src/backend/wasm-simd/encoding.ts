/**
 * The WebAssembly binary encoding for the small SIMD loop modules Strata builds in code (no
 * toolchain, no binary blobs in the repository): LEB128 numbers, the type, import, function,
 * export and code sections, and the one import every such module has, the TF.js wasm backend's
 * heap as `env.memory`. Instructions live in instructions.ts; instantiation in heap-module.ts.
 */

/** Unsigned LEB128 (32-bit). */
export function u32(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 (32-bit). */
export function s32(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** The value types the loops use. */
export const ValueType = { i32: 0x7f, f32: 0x7d, v128: 0x7b } as const;
/** One of {@link ValueType}. */
export type ValueType = (typeof ValueType)[keyof typeof ValueType];

/** `count` values of `type`: for parameter and local lists. */
export function repeat(type: ValueType, count: number): ValueType[] {
  return new Array<ValueType>(count).fill(type);
}

/** One instruction or sequence of them. */
export type Code = readonly number[];

/** A function of the module, exported under its name; it returns nothing. */
export interface WasmFunction {
  name: string;
  params: readonly ValueType[];
  /** Locals after the parameters (numbered from `params.length` on). */
  locals: readonly ValueType[];
  /** The instructions, without the function's final `end`. */
  body: Code;
}

/**
 * The largest maximum a memory can declare (wasm32: 65536 pages of 64 KiB = 4 GiB). A shared
 * memory must be imported with a maximum, and an import matches only a memory whose own maximum
 * is at most the import's, so this one matches every shared memory, whatever the backend chose
 * (the threaded tfjs-backend-wasm build declares exactly this).
 */
export const MAX_PAGES = 65536;

function section(id: number, content: number[]): number[] {
  return [id, ...u32(content.length), ...content];
}

function vector(items: readonly (readonly number[])[]): number[] {
  return [...u32(items.length), ...items.flat()];
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...u32(bytes.length), ...bytes];
}

/** Locals as the code section groups them: runs of one type, with their counts. */
function localGroups(locals: readonly ValueType[]): number[][] {
  const groups: number[][] = [];
  let k = 0;
  while (k < locals.length) {
    let end = k;
    while (end < locals.length && locals[end] === locals[k]) end++;
    groups.push([...u32(end - k), locals[k]!]);
    k = end;
  }
  return groups;
}

/**
 * The binary module: imports `env.memory` (as a shared memory when `sharedMemory`, since an
 * import must match the memory's sharedness exactly; unshared memories are imported without a
 * maximum, which matches any), exports each function under its name.
 */
export function encodeModule(functions: readonly WasmFunction[], sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  const signatures: string[] = [];
  const types: number[][] = [];
  const typeIndex = functions.map((f) => {
    const type = [0x60, ...vector(f.params.map((p) => [p])), 0];
    const key = type.join(',');
    if (!signatures.includes(key)) {
      signatures.push(key);
      types.push(type);
    }
    return signatures.indexOf(key);
  });
  const limits = sharedMemory ? [0x03, ...u32(0), ...u32(MAX_PAGES)] : [0x00, ...u32(0)];
  const memoryImport = [...name('env'), ...name('memory'), 0x02, ...limits];
  const code = functions.map((f) => {
    const body = [...vector(localGroups(f.locals)), ...f.body, 0x0b];
    return [...u32(body.length), ...body];
  });
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, vector([memoryImport])),
    ...section(3, vector(typeIndex.map(u32))),
    ...section(7, vector(functions.map((f, i) => [...name(f.name), 0x00, ...u32(i)]))),
    ...section(10, vector(code)),
  ]);
}

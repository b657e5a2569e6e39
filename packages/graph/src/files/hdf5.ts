/**
 * Thin, lazily loaded access to HDF5 files through h5wasm. Nothing here runs
 * until an HDF5 file is actually read, so JSON and zip-config work starts fast.
 *
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Dataset, File as H5File, Group } from 'h5wasm';
import { ModelFileError, causeSummary } from './errors.js';
import { decodeFloat16, decodeBfloat16 } from './half-float.js';
import type { WeightEntry } from './types.js';

/** The parts of h5wasm this package uses. */
export type H5wasmApi = typeof import('h5wasm');

let h5wasmLoading: Promise<H5wasmApi> | undefined;

/**
 * Loads h5wasm once (about 100 ms of WebAssembly start-up) and switches HDF5's
 * error reporting from printing to stderr to throwing, so callers can wrap it.
 */
export function loadH5wasm(): Promise<H5wasmApi> {
  h5wasmLoading ??= (async () => {
    const api = (await import('h5wasm/node')) as H5wasmApi;
    const module = await api.ready;
    module.activate_throwing_error_handler();
    return api;
  })();
  return h5wasmLoading;
}

/**
 * Opens an HDF5 file from disk for reading and runs `use` on it, closing it after.
 *
 * @param filePath - file on disk
 * @param displayName - the name used in error messages (the user's file)
 */
export async function withHdf5File<T>(
  filePath: string,
  displayName: string,
  use: (file: H5File) => T | Promise<T>,
  mode: 'r' | 'a' = 'r',
): Promise<T> {
  const api = await loadH5wasm();
  let file: H5File;
  try {
    file = new api.File(resolve(filePath), mode);
  } catch (cause) {
    throw new ModelFileError(displayName, `${mode === 'r' ? 'is not a readable HDF5 file' : 'could not be opened for writing as HDF5'} (${causeSummary(cause)})`);
  }
  try {
    return await use(file);
  } catch (cause) {
    if (cause instanceof ModelFileError) throw cause;
    throw new ModelFileError(displayName, `HDF5 content could not be read (${causeSummary(cause)})`);
  } finally {
    try {
      file.close();
    } catch {
      // Closing a file whose read failed can fail too; the first error is the useful one.
    }
  }
}

/** Opens HDF5 bytes held in memory (e.g. a zip member) through a private temp file. */
export async function withHdf5Bytes<T>(
  bytes: Uint8Array,
  displayName: string,
  use: (file: H5File) => T | Promise<T>,
): Promise<T> {
  const temp = join(tmpdir(), `strata-${randomBytes(8).toString('hex')}.h5`);
  writeFileSync(temp, bytes);
  try {
    return await withHdf5File(temp, displayName, use);
  } finally {
    rmSync(temp, { force: true });
  }
}

function entityType(entity: unknown): string | undefined {
  return typeof entity === 'object' && entity !== null ? String((entity as { type?: unknown }).type) : undefined;
}

/**
 * Returns the child group called `name`, or `null` when there is none.
 *
 * @param keys - the group's keys when the caller has them already (listing them costs O(members),
 *   so a walk over all children passes them instead of listing once per child)
 */
export function childGroup(group: Group, name: string, keys?: ReadonlySet<string>): Group | null {
  if (!(keys === undefined ? group.keys().includes(name) : keys.has(name))) return null;
  const entity = group.get(name);
  return entityType(entity) === 'Group' ? (entity as Group) : null;
}

/**
 * Returns the group at `path` below `group`, following "/"-separated segments (a tf.keras 2
 * layer named `layer1/conv` stored its weights in group `layer1` → `conv`), or `null`.
 */
export function descendantGroup(group: Group, path: string): Group | null {
  let current: Group | null = group;
  for (const segment of path.split('/')) {
    if (current === null) return null;
    current = childGroup(current, segment);
  }
  return current;
}

/** Returns the dataset at `path` below `group`, or `null` when there is none. */
export function childDataset(group: Group, path: string): Dataset | null {
  let entity: unknown;
  try {
    entity = group.get(path);
  } catch {
    return null;
  }
  return entityType(entity) === 'Dataset' ? (entity as Dataset) : null;
}

function rawAttribute(holder: Group | Dataset, name: string): unknown {
  const attrs = holder.attrs;
  return name in attrs ? attrs[name]!.value : undefined;
}

/**
 * Reads a string attribute, joining Keras's chunked form (`name0`, `name1`, …) used
 * for attributes too large for one HDF5 attribute.
 */
export function readStringAttribute(holder: Group | Dataset, name: string): string | undefined {
  const value = rawAttribute(holder, name);
  if (value !== undefined) return attributeText(value);
  const chunks: string[] = [];
  for (let i = 0; rawAttribute(holder, `${name}${i}`) !== undefined; i++) {
    chunks.push(attributeText(rawAttribute(holder, `${name}${i}`)));
  }
  return chunks.length > 0 ? chunks.join('') : undefined;
}

/** Reads a list-of-strings attribute (`layer_names`, `weight_names`), chunked or not. */
export function readStringListAttribute(holder: Group | Dataset, name: string): string[] | undefined {
  const value = rawAttribute(holder, name);
  if (value !== undefined) return attributeList(value);
  const items: string[] = [];
  let found = false;
  for (let i = 0; rawAttribute(holder, `${name}${i}`) !== undefined; i++) {
    found = true;
    items.push(...attributeList(rawAttribute(holder, `${name}${i}`)));
  }
  return found ? items : undefined;
}

function attributeText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  if (Array.isArray(value)) return value.map(attributeText).join('');
  return String(value);
}

function attributeList(value: unknown): string[] {
  // h5py stores an empty list as an empty float array.
  if (ArrayBuffer.isView(value)) return value.byteLength === 0 ? [] : [attributeText(value)];
  if (Array.isArray(value)) return value.map(attributeText);
  return [attributeText(value)];
}

/** Converts one HDF5 dataset into a weight entry (floats → Float32Array, integers → Int32Array). */
export function datasetToWeight(dataset: Dataset, path: string, layerName?: string): WeightEntry {
  const metadata = dataset.metadata;
  const shape = dataset.shape ?? [];
  const count = shape.reduce((product, size) => product * size, 1);
  const value = dataset.value;
  const taggedDtype = rawAttribute(dataset, 'dtype');
  const entry = (dtype: string, data: Float32Array | Int32Array): WeightEntry =>
    layerName === undefined ? { path, shape, dtype, data } : { path, layerName, shape, dtype, data };

  if (taggedDtype === 'bfloat16' && metadata.size === 2) {
    return entry('bfloat16', decodeBfloat16(bytesOf(value, path), count, metadata.littleEndian));
  }
  if (metadata.type === 1) {
    if (metadata.size === 2) return entry('float16', decodeFloat16(bytesOf(value, path), count, metadata.littleEndian));
    if (value instanceof Float32Array) return entry('float32', value);
    if (value instanceof Float64Array) return entry('float64', Float32Array.from(value));
    if (typeof value === 'number') return entry(metadata.size === 8 ? 'float64' : 'float32', Float32Array.of(value));
  }
  if (metadata.type === 0) {
    const dtype = `${metadata.signed ? 'int' : 'uint'}${metadata.size * 8}`;
    if (typeof value === 'number' || typeof value === 'bigint') return entry(dtype, Int32Array.of(Number(value)));
    if (value instanceof BigInt64Array || value instanceof BigUint64Array) {
      return entry(dtype, Int32Array.from(value, (item) => Number(item)));
    }
    if (ArrayBuffer.isView(value)) return entry(dtype, Int32Array.from(value as unknown as ArrayLike<number>));
  }
  throw new Error(`dataset ${path} has an unsupported element type (HDF5 class ${metadata.type}, ${metadata.size} bytes)`);
}

function bytesOf(value: unknown, path: string): Uint8Array {
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new Error(`dataset ${path} holds 16-bit floats that could not be read as raw bytes`);
}

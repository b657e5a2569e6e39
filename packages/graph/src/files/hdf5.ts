/**
 * Thin, lazily loaded access to HDF5 files through h5wasm, entirely in memory: files
 * live in h5wasm's private in-memory filesystem (its ESM build has no access to the
 * disk), and HDF5 may open only the one file being read. External storage, external
 * links and virtual datasets that name any other file therefore cannot reach the disk;
 * the attempt is recorded so the error can say which file was asked for. Nothing here
 * runs until an HDF5 file is actually read, so JSON and zip-config work starts fast.
 *
 * @packageDocumentation
 */
import type { Dataset, File as H5File, Group } from 'h5wasm';
import { ModelFileError, causeSummary } from './errors.js';
import { decodeFloat16, decodeBfloat16 } from './half-float.js';
import type { WeightEntry } from './types.js';

/** The parts of h5wasm this package uses. */
export type H5wasmApi = typeof import('h5wasm');

/** The slice of Emscripten's FS this module needs (beyond h5wasm's typings). */
interface MemoryFs {
  open(path: unknown, flags: unknown, mode?: unknown): unknown;
  writeFile(path: string, data: Uint8Array, opts?: { canOwn?: boolean }): void;
  readFile(path: string): Uint8Array;
  unlink(path: string): void;
  mkdir(path: string): void;
  ErrnoError: new (errno: number) => Error;
}

/** Emscripten's errno for "permission denied". */
const EACCES = 2;
const FOLDER = '/strata';

/** Paths HDF5 may open right now: only the in-memory files this module put there. */
const openable = new Set<string>();
/** Paths HDF5 tried to open and was refused (external storage, links, VDS sources). */
const refusedOpens: string[] = [];
let nextFileId = 0;

let h5wasmLoading: Promise<H5wasmApi> | undefined;

/**
 * Loads h5wasm once (about 100 ms of WebAssembly start-up), switches HDF5's error
 * reporting from printing to stderr to throwing, and lets HDF5 open only the files
 * this module placed in its in-memory filesystem.
 */
export function loadH5wasm(): Promise<H5wasmApi> {
  h5wasmLoading ??= (async () => {
    // The ESM build runs on Emscripten's MEMFS; the `h5wasm/node` build would reach the real disk.
    const api = (await import('h5wasm')) as H5wasmApi;
    const module = await api.ready;
    module.activate_throwing_error_handler();
    const fs = module.FS as unknown as MemoryFs;
    const open = fs.open.bind(fs);
    fs.open = (path: unknown, flags: unknown, mode?: unknown): unknown => {
      // h5wasm formats HDF5's error stack through tmpfile(), which lives in memory too.
      if (typeof path !== 'string' || (!openable.has(path) && !/^\/tmp\/tmpfile_\w+$/.test(path))) {
        refusedOpens.push(String(path));
        throw new fs.ErrnoError(EACCES);
      }
      return open(path, flags, mode);
    };
    fs.mkdir(FOLDER);
    return api;
  })();
  return h5wasmLoading;
}

function memoryFs(api: H5wasmApi): MemoryFs {
  return api.FS as unknown as MemoryFs;
}

/** What went wrong, preferring "it asked for another file" over HDF5's own words. */
function hdf5Failure(displayName: string, refusedFrom: number, what: string, cause: unknown): ModelFileError {
  if (cause instanceof ModelFileError) return cause;
  if (cause instanceof OutsideFileReference) return outsideFileError(displayName, cause.where, cause.target);
  const where = cause instanceof DatasetReadError ? `dataset ${cause.dataset}` : what;
  const refused = refusedOpens.slice(refusedFrom);
  if (refused.length > 0) return outsideFileError(displayName, where, refused[0]!);
  return new ModelFileError(
    displayName,
    `${where}${cause instanceof DatasetReadError ? ' could not be read' : ''} (${causeSummary(cause instanceof DatasetReadError ? cause.cause : cause)})`,
  );
}

/** A failure while reading one dataset's values, naming the dataset. */
export class DatasetReadError extends Error {
  constructor(
    readonly dataset: string,
    override readonly cause: unknown,
  ) {
    super(`dataset ${dataset}: ${causeSummary(cause)}`);
  }
}

/**
 * An error thrown by a caller's callback inside an HDF5 read (e.g. a `check` of the
 * declared weights): passed through unchanged instead of being reported as an HDF5 problem.
 */
export class CallerError extends Error {
  constructor(override readonly cause: unknown) {
    super(causeSummary(cause));
  }
}

/** The error for HDF5 content that names data in another file. */
export function outsideFileError(displayName: string, where: string, target: string): ModelFileError {
  return new ModelFileError(
    displayName,
    `${where}: refers to data in another file (${target}); Strata reads weights only from inside the model file, so external storage, external links and virtual datasets are refused`,
  );
}

/**
 * Runs `use` on an HDF5 file held in memory. The bytes are handed to the in-memory
 * filesystem without copying; `mode` `'a'` lets `use` change the file, whose new bytes
 * are then returned in `bytes`.
 */
async function withMemoryFile<T>(
  bytes: Uint8Array | undefined,
  displayName: string,
  mode: 'r' | 'a' | 'w',
  use: (file: H5File) => T | Promise<T>,
  failure = mode === 'r' ? 'HDF5 content could not be read' : 'HDF5 content could not be written',
): Promise<{ result: T; bytes: Uint8Array | undefined }> {
  const api = await loadH5wasm();
  const fs = memoryFs(api);
  const path = `${FOLDER}/${nextFileId++}.h5`;
  const refusedFrom = refusedOpens.length;
  openable.add(path);
  try {
    if (bytes !== undefined) fs.writeFile(path, bytes, { canOwn: mode === 'r' });
    let file: H5File;
    try {
      file = new api.File(path, mode);
    } catch (cause) {
      const what = mode === 'r' ? 'is not a readable HDF5 file' : 'could not be opened for writing as HDF5';
      throw hdf5Failure(displayName, refusedFrom, what, cause);
    }
    let result: T;
    try {
      result = await use(file);
    } catch (cause) {
      if (cause instanceof CallerError) throw cause.cause;
      throw hdf5Failure(displayName, refusedFrom, failure, cause);
    } finally {
      try {
        file.close();
      } catch {
        // Closing a file whose read failed can fail too; the first error is the useful one.
      }
    }
    return { result, bytes: mode === 'r' ? undefined : fs.readFile(path) };
  } finally {
    openable.delete(path);
    // With no file open, no caller holds an index into the log: start it afresh.
    if (openable.size === 0) refusedOpens.length = 0;
    try {
      fs.unlink(path);
    } catch {
      // Never created (the bytes were refused before writing).
    }
  }
}

/** Opens HDF5 bytes held in memory (e.g. a zip member) for reading and runs `use` on them. */
export async function withHdf5Bytes<T>(
  bytes: Uint8Array,
  displayName: string,
  use: (file: H5File) => T | Promise<T>,
): Promise<T> {
  return (await withMemoryFile(bytes, displayName, 'r', use)).result;
}

/** Changes an HDF5 file held in memory and returns its new bytes. */
export async function editHdf5Bytes(
  bytes: Uint8Array,
  displayName: string,
  edit: (file: H5File) => void,
): Promise<Uint8Array> {
  return (await withMemoryFile(Uint8Array.from(bytes), displayName, 'a', edit)).bytes!;
}

/**
 * Builds a new HDF5 file in memory and returns its bytes.
 *
 * @param failure - what the error says when `build` fails (the cause is appended)
 */
export async function createHdf5Bytes(
  displayName: string,
  build: (file: H5File) => void,
  failure?: string,
): Promise<Uint8Array> {
  return (await withMemoryFile(undefined, displayName, 'w', build, failure)).bytes!;
}

function entityType(entity: unknown): string | undefined {
  return typeof entity === 'object' && entity !== null ? String((entity as { type?: unknown }).type) : undefined;
}

/**
 * Refuses links that leave the file, or lead nowhere, naming the link.
 *
 * @throws Error (wrapped into a ModelFileError by the caller) for an external or broken link
 */
export function refuseOutsideLink(entity: unknown, path: string): void {
  const type = entityType(entity);
  if (type === 'ExternalLink') {
    const link = entity as { filename: string; obj_path: string };
    throw new OutsideFileReference(path, `${link.filename}:${link.obj_path}`);
  }
  if (type === 'BrokenSoftLink') {
    throw new Error(
      `${path} is a soft link to ${(entity as { target: string }).target}, which does not exist in the file`,
    );
  }
}

/** A link or dataset of the file that names another file. */
export class OutsideFileReference extends Error {
  constructor(
    readonly where: string,
    readonly target: string,
  ) {
    super(`${where} refers to data in another file (${target})`);
  }
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
  refuseOutsideLink(entity, name);
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
  refuseOutsideLink(entity, path);
  return entityType(entity) === 'Dataset' ? (entity as Dataset) : null;
}

/** Attribute names of an object, read once (each `attrs` access lists them all again). */
function attributeNames(holder: Group | Dataset): Set<string> {
  return new Set(Object.keys(holder.attrs));
}

function rawAttribute(holder: Group | Dataset, name: string, names = attributeNames(holder)): unknown {
  return names.has(name) ? holder.get_attribute(name, false) : undefined;
}

/**
 * Reads a string attribute, joining Keras's chunked form (`name0`, `name1`, …) used
 * for attributes too large for one HDF5 attribute. Linear in the number of chunks.
 */
export function readStringAttribute(holder: Group | Dataset, name: string): string | undefined {
  const names = attributeNames(holder);
  const value = rawAttribute(holder, name, names);
  if (value !== undefined) return attributeText(value);
  const chunks: string[] = [];
  for (let i = 0; names.has(`${name}${i}`); i++) chunks.push(attributeText(rawAttribute(holder, `${name}${i}`, names)));
  return chunks.length > 0 ? chunks.join('') : undefined;
}

/** Reads a list-of-strings attribute (`layer_names`, `weight_names`), chunked or not. */
export function readStringListAttribute(holder: Group | Dataset, name: string): string[] | undefined {
  const names = attributeNames(holder);
  const value = rawAttribute(holder, name, names);
  if (value !== undefined) return attributeList(value);
  const items: string[] = [];
  let found = false;
  for (let i = 0; names.has(`${name}${i}`); i++) {
    found = true;
    items.push(...attributeList(rawAttribute(holder, `${name}${i}`, names)));
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

/** The `dtype` tag Keras puts on bfloat16 datasets, if any. */
export function taggedDtype(dataset: Dataset): unknown {
  return rawAttribute(dataset, 'dtype');
}

/** Converts one HDF5 dataset into a weight entry (floats → Float32Array, integers → Int32Array). */
export function datasetToWeight(dataset: Dataset, path: string, layerName?: string): WeightEntry {
  const metadata = dataset.metadata;
  const shape = dataset.shape ?? [];
  const count = shape.reduce((product, size) => product * size, 1);
  const value = dataset.value;
  const tagged = taggedDtype(dataset);
  const entry = (dtype: string, data: Float32Array | Int32Array): WeightEntry =>
    layerName === undefined ? { path, shape, dtype, data } : { path, layerName, shape, dtype, data };

  if (tagged === 'bfloat16' && metadata.size === 2) {
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
      return entry(
        dtype,
        Int32Array.from(value, (item) => Number(item)),
      );
    }
    if (ArrayBuffer.isView(value)) return entry(dtype, Int32Array.from(value as unknown as ArrayLike<number>));
  }
  throw new Error(
    `dataset ${path} has an unsupported element type (HDF5 class ${metadata.type}, ${metadata.size} bytes)`,
  );
}

function bytesOf(value: unknown, path: string): Uint8Array {
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new Error(`dataset ${path} holds 16-bit floats that could not be read as raw bytes`);
}

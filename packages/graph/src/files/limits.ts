/**
 * Size limits for reading untrusted model files: every size a file declares (zip
 * members, shard bytes, HDF5 dataset shapes) is checked against them before anything
 * that size is allocated, so a small hostile file cannot exhaust memory.
 *
 * @packageDocumentation
 */
import { ModelFileError } from './errors.js';

/** Limits applied while reading a model file; raise them to load very large models. */
export interface LoadLimits {
  /**
   * Most bytes a file may hold in total once unpacked: all members of a `.keras` zip,
   * all TF.js shards, all weight arrays of an HDF5 file (as stored). Default 4 GiB.
   */
  maxTotalBytes: number;
  /**
   * Most bytes of one part: one zip member, one weight array, one model file read from
   * disk. Default 2 GiB − 1 (HDF5 data passes through a 2 GiB WebAssembly heap).
   */
  maxMemberBytes: number;
  /**
   * Most times the weights an HDF5 file declares may exceed the file's own size once
   * past 256 MiB (Keras's zip-bomb rule, applied to sparse or compressed datasets).
   * Default 100; Keras never compresses weights, so real files stay near 1.
   */
  maxExpansion: number;
  /**
   * Most bytes of one JSON document read from a file (a JSON model file, `config.json`,
   * `metadata.json`, an HDF5 `model_config`). Default 256 MiB; real configs are far smaller.
   */
  maxConfigBytes: number;
}

/** The limits used when none are given: 4 GiB in total, 2 GiB − 1 per member or array. */
export const DEFAULT_LOAD_LIMITS: Readonly<LoadLimits> = Object.freeze({
  maxTotalBytes: 4 * 2 ** 30,
  maxMemberBytes: 2 ** 31 - 1,
  maxExpansion: 100,
  maxConfigBytes: 2 ** 28,
});

/** Declared sizes up to this many bytes are never called a bomb, whatever the file size. */
export const EXPANSION_FLOOR_BYTES = 2 ** 28;

/** Fills in defaults, refusing limits that are not positive numbers. */
export function resolveLimits(limits: Partial<LoadLimits> | undefined): LoadLimits {
  const resolved = { ...DEFAULT_LOAD_LIMITS, ...limits };
  for (const key of ['maxTotalBytes', 'maxMemberBytes', 'maxExpansion', 'maxConfigBytes'] as const) {
    const value = resolved[key];
    if (typeof value !== 'number' || !(value > 0)) {
      throw new RangeError(`limits.${key} must be a positive number, got ${String(value)}`);
    }
  }
  return resolved;
}

/**
 * Checks the size of a JSON document before it is decoded and parsed.
 *
 * @throws ModelFileError naming `what` when it is larger than `limits.maxConfigBytes`
 */
export function checkConfigSize(bytes: number, limits: LoadLimits, file: string, what: string): void {
  if (bytes > limits.maxConfigBytes) {
    throw new ModelFileError(
      file,
      `${what} holds ${formatBytes(bytes)} of JSON, more than limits.maxConfigBytes (${formatBytes(limits.maxConfigBytes)}); ${raiseHint('maxConfigBytes')}`,
    );
  }
}

/** Formats a byte count for messages (`1.5 GiB`, `12 KiB`). */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** How to raise a limit, appended to every limit error. */
export function raiseHint(key: keyof LoadLimits): string {
  return `if the file is trusted, raise limits.${key}`;
}

/**
 * Checks a shape declared by a file: non-negative safe integers whose product is an
 * array size that fits `maxMemberBytes` at `elementBytes` each.
 *
 * @returns the element count
 * @throws ModelFileError naming `what` and the bad dimension
 */
export function checkDeclaredShape(
  shape: unknown,
  elementBytes: number,
  limits: LoadLimits,
  file: string,
  what: string,
): number {
  if (!Array.isArray(shape)) throw new ModelFileError(file, `${what} has no shape list (got ${describe(shape)})`);
  let count = 1;
  for (const [axis, size] of shape.entries()) {
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
      throw new ModelFileError(
        file,
        `${what} declares shape [${shape.map(describe).join(', ')}]: dimension ${axis} (${describe(size)}) is not a non-negative integer`,
      );
    }
    count *= size;
  }
  const bytes = count * elementBytes;
  if (bytes > limits.maxMemberBytes) {
    throw new ModelFileError(
      file,
      `${what} declares shape [${shape.join(', ')}] (${formatBytes(bytes)}), more than limits.maxMemberBytes (${formatBytes(limits.maxMemberBytes)}); ${raiseHint('maxMemberBytes')}`,
    );
  }
  return count;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'a list' : 'an object';
  return String(value);
}

/** Running total of bytes a file declares, refused once it passes `maxTotalBytes`. */
export class ByteBudget {
  private used = 0;

  /**
   * @param fileBytes - size of the file holding the data, when the expansion limit applies
   */
  constructor(
    private readonly limits: LoadLimits,
    private readonly file: string,
    private readonly fileBytes?: number,
  ) {}

  /** Adds `bytes` for `what`, throwing when the total passes the limits. */
  spend(bytes: number, what: string): void {
    this.used += bytes;
    if (
      this.fileBytes !== undefined &&
      this.used > EXPANSION_FLOOR_BYTES &&
      this.used > this.limits.maxExpansion * this.fileBytes
    ) {
      throw new ModelFileError(
        this.file,
        `declares ${formatBytes(this.used)} of weights (reached at ${what}) in a file of ${formatBytes(this.fileBytes)}, more than limits.maxExpansion (${this.limits.maxExpansion}) times its size: sparse or compressed data that would expand too much; ${raiseHint('maxExpansion')}`,
      );
    }
    if (this.used > this.limits.maxTotalBytes) {
      throw new ModelFileError(
        this.file,
        `declares more than limits.maxTotalBytes (${formatBytes(this.limits.maxTotalBytes)}) in total (reached ${formatBytes(this.used)} at ${what}); ${raiseHint('maxTotalBytes')}`,
      );
    }
  }
}

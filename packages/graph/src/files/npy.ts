/**
 * A small reader for NumPy `.npy` files (format versions 1.0 and 2.0, as `numpy.save` writes
 * them): little-endian float32 (`<f4`), int32 (`<i4`) or bool (`|b1`), C order — what Keras
 * users' arrays and the Keras goldens hold. Anything else is refused with a message that says
 * what the file holds.
 *
 * @packageDocumentation
 */

/** One array read from a `.npy` file (bool arrays as 0/1 bytes). */
export interface NpyArray {
  dtype: 'float32' | 'int32' | 'bool';
  shape: number[];
  data: Float32Array | Int32Array | Uint8Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

/** The value of one key of the header's Python dict literal, as source text. */
function headerField(header: string, key: string, name: string): string {
  const match = new RegExp(`['"]${key}['"]\\s*:\\s*(\\([^)]*\\)|'[^']*'|"[^"]*"|True|False)`).exec(header);
  if (!match) throw new Error(`${name}: .npy header has no '${key}' (header: ${header.trim()})`);
  return match[1]!;
}

/**
 * Parses the bytes of a `.npy` file.
 *
 * @param bytes - the whole file
 * @param name - file name for error messages
 * @throws Error naming the file when it is not a version 1.0 little-endian float32/int32 C-order array
 */
export function parseNpy(bytes: Uint8Array, name = '.npy file'): NpyArray {
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b))
    throw new Error(`${name}: not a .npy file (no \\x93NUMPY magic)`);
  const [major, minor] = [bytes[6]!, bytes[7]!];
  if ((major !== 1 && major !== 2) || minor !== 0)
    throw new Error(`${name}: .npy format version ${major}.${minor}, expected 1.0 or 2.0`);
  // Version 2.0 only widens the header length from 2 to 4 bytes.
  const lengthBytes = major === 1 ? 2 : 4;
  const headerStart = 8 + lengthBytes;
  if (bytes.length < headerStart) throw new Error(`${name}: .npy file ends inside its header`);
  const headerLength =
    major === 1 ? bytes[8]! | (bytes[9]! << 8) : new DataView(bytes.buffer, bytes.byteOffset + 8, 4).getUint32(0, true);
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length)
    throw new Error(
      `${name}: .npy header length ${headerLength} runs past the end of the file (${bytes.length} bytes)`,
    );
  const header = new TextDecoder('latin1').decode(bytes.subarray(headerStart, dataStart));
  const descr = headerField(header, 'descr', name).slice(1, -1);
  const fortran = headerField(header, 'fortran_order', name);
  if (fortran !== 'False')
    throw new Error(`${name}: Fortran-order arrays are not supported (fortran_order: ${fortran})`);
  const shapeText = headerField(header, 'shape', name);
  const shape = shapeText
    .slice(1, -1)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new Error(`${name}: bad shape ${shapeText}`);
  const count = shape.reduce((a, b) => a * b, 1);
  const dtype = descr === '<f4' ? 'float32' : descr === '<i4' ? 'int32' : descr === '|b1' ? 'bool' : undefined;
  if (dtype === undefined)
    throw new Error(`${name}: dtype '${descr}' is not supported (expected '<f4' float32, '<i4' int32 or '|b1' bool)`);
  const itemBytes = dtype === 'bool' ? 1 : 4;
  if (bytes.length - dataStart !== count * itemBytes) {
    throw new Error(
      `${name}: shape ${shapeText} needs ${count * itemBytes} data bytes, the file has ${bytes.length - dataStart}`,
    );
  }
  if (dtype === 'bool') return { dtype, shape, data: bytes.slice(dataStart) };
  // Copy into a fresh, aligned buffer: the data offset need not be a multiple of 4 in a Node Buffer.
  const raw = bytes.slice(dataStart);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const data = dtype === 'float32' ? new Float32Array(count) : new Int32Array(count);
  for (let i = 0; i < count; i++)
    data[i] = dtype === 'float32' ? view.getFloat32(i * 4, true) : view.getInt32(i * 4, true);
  return { dtype, shape, data };
}

/** NumPy's shape tuple as Python writes it: `()`, `(3,)`, `(2, 3)`. */
function pythonTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/**
 * Encodes an array as the bytes `numpy.save` writes (format 1.0, little-endian, C order, header
 * padded so the data starts at a multiple of 64 bytes), so that NumPy and Keras users can read
 * what Strata hands them.
 *
 * @param array - the array; `data.length` must equal the product of `shape`
 * @throws Error when the data length does not match the shape
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { encodeNpy } from '@strata/graph';
 * writeFileSync('x.npy', encodeNpy({ dtype: 'float32', shape: [2, 3], data: new Float32Array(6) }));
 * ```
 */
export function encodeNpy(array: NpyArray): Uint8Array {
  const count = array.shape.reduce((a, b) => a * b, 1);
  if (array.data.length !== count) {
    throw new Error(
      `encodeNpy: shape [${array.shape.join(', ')}] holds ${count} values, the data has ${array.data.length}`,
    );
  }
  const descr = array.dtype === 'float32' ? '<f4' : array.dtype === 'int32' ? '<i4' : '|b1';
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${pythonTuple(array.shape)}, }`;
  // Magic (6) + version (2) + length (2) + dict + spaces + '\n', a multiple of 64 bytes in all.
  const headerLength = Math.ceil((10 + dict.length + 1) / 64) * 64 - 10;
  const header = dict.padEnd(headerLength - 1, ' ') + '\n';
  const itemBytes = array.dtype === 'bool' ? 1 : 4;
  const out = new Uint8Array(10 + headerLength + count * itemBytes);
  out.set(MAGIC, 0);
  out.set([1, 0, headerLength & 0xff, headerLength >> 8], 6);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const view = new DataView(out.buffer, 10 + headerLength);
  for (let i = 0; i < count; i++) {
    const value = array.data[i]!;
    if (array.dtype === 'float32') view.setFloat32(i * 4, value, true);
    else if (array.dtype === 'int32') view.setInt32(i * 4, value, true);
    else view.setUint8(i, value === 0 ? 0 : 1);
  }
  return out;
}

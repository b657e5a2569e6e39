/**
 * A small reader for NumPy `.npy` files, format version 1.0 (the version `numpy.save` writes for
 * ordinary arrays): little-endian float32 (`<f4`) or int32 (`<i4`), C order. That is all the Keras
 * goldens use; anything else is refused with a message that says what the file holds.
 */

/** One array read from a `.npy` file. */
export interface NpyArray {
  dtype: 'float32' | 'int32';
  shape: number[];
  data: Float32Array | Int32Array;
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
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b)) throw new Error(`${name}: not a .npy file (no \\x93NUMPY magic)`);
  const [major, minor] = [bytes[6]!, bytes[7]!];
  if (major !== 1 || minor !== 0) throw new Error(`${name}: .npy format version ${major}.${minor}, expected 1.0`);
  const headerLength = bytes[8]! | (bytes[9]! << 8);
  const dataStart = 10 + headerLength;
  if (dataStart > bytes.length) throw new Error(`${name}: .npy header length ${headerLength} runs past the end of the file (${bytes.length} bytes)`);
  const header = new TextDecoder('latin1').decode(bytes.subarray(10, dataStart));
  const descr = headerField(header, 'descr', name).slice(1, -1);
  const fortran = headerField(header, 'fortran_order', name);
  if (fortran !== 'False') throw new Error(`${name}: Fortran-order arrays are not supported (fortran_order: ${fortran})`);
  const shapeText = headerField(header, 'shape', name);
  const shape = shapeText
    .slice(1, -1)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new Error(`${name}: bad shape ${shapeText}`);
  const count = shape.reduce((a, b) => a * b, 1);
  const dtype = descr === '<f4' ? 'float32' : descr === '<i4' ? 'int32' : undefined;
  if (dtype === undefined) throw new Error(`${name}: dtype '${descr}' is not supported (expected '<f4' float32 or '<i4' int32)`);
  if (bytes.length - dataStart !== count * 4) {
    throw new Error(`${name}: shape ${shapeText} needs ${count * 4} data bytes, the file has ${bytes.length - dataStart}`);
  }
  // Copy into a fresh, aligned buffer: the data offset need not be a multiple of 4 in a Node Buffer.
  const raw = bytes.slice(dataStart);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const data = dtype === 'float32' ? new Float32Array(count) : new Int32Array(count);
  for (let i = 0; i < count; i++) data[i] = dtype === 'float32' ? view.getFloat32(i * 4, true) : view.getInt32(i * 4, true);
  return { dtype, shape, data };
}

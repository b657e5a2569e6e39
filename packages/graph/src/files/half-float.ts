/**
 * Decoding of 16-bit float formats (IEEE half and bfloat16) to Float32Array.
 *
 * @packageDocumentation
 */

/** Converts one IEEE 754 half-precision bit pattern to a number. */
export function float16BitsToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function readUint16(bytes: Uint8Array, index: number, littleEndian: boolean): number {
  const low = bytes[2 * index]!;
  const high = bytes[2 * index + 1]!;
  return littleEndian ? low | (high << 8) : (low << 8) | high;
}

/** Decodes `count` IEEE half floats from raw bytes. */
export function decodeFloat16(bytes: Uint8Array, count: number, littleEndian = true): Float32Array {
  if (bytes.length < 2 * count) throw new Error(`expected ${2 * count} bytes of float16 data, got ${bytes.length}`);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = float16BitsToNumber(readUint16(bytes, i, littleEndian));
  return out;
}

/** Decodes `count` bfloat16 values (the top half of a float32) from raw bytes. */
export function decodeBfloat16(bytes: Uint8Array, count: number, littleEndian = true): Float32Array {
  if (bytes.length < 2 * count) throw new Error(`expected ${2 * count} bytes of bfloat16 data, got ${bytes.length}`);
  const widened = new Uint32Array(count);
  for (let i = 0; i < count; i++) widened[i] = readUint16(bytes, i, littleEndian) << 16;
  return new Float32Array(widened.buffer);
}

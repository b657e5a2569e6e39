/**
 * Recognises a model file's container from its bytes, never its extension.
 *
 * @packageDocumentation
 */

/** The container kinds a model file can have. */
export type ContainerKind = 'zip' | 'hdf5' | 'json' | 'empty' | 'unknown';

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const ZIP_LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY_ARCHIVE = [0x50, 0x4b, 0x05, 0x06];

function startsWithAt(bytes: Uint8Array, signature: number[], offset: number): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((byte, i) => bytes[offset + i] === byte);
}

/**
 * Finds the HDF5 superblock signature. The HDF5 spec lets it sit at byte 0, 512,
 * 1024, 2048, … (each power of two from 512) so that a user block can precede it.
 *
 * @returns the offset of the signature, or -1 when there is none
 */
export function findHdf5Signature(bytes: Uint8Array): number {
  if (startsWithAt(bytes, HDF5_SIGNATURE, 0)) return 0;
  for (let offset = 512; offset + HDF5_SIGNATURE.length <= bytes.length; offset *= 2) {
    if (startsWithAt(bytes, HDF5_SIGNATURE, offset)) return offset;
  }
  return -1;
}

/**
 * Says which container the bytes are: a zip archive, an HDF5 file, JSON text
 * (first non-blank character `{`), empty, or unknown.
 */
export function sniffContainer(bytes: Uint8Array): ContainerKind {
  if (bytes.length === 0) return 'empty';
  if (startsWithAt(bytes, ZIP_LOCAL_HEADER, 0) || startsWithAt(bytes, ZIP_EMPTY_ARCHIVE, 0)) return 'zip';
  if (findHdf5Signature(bytes) >= 0) return 'hdf5';
  let i = 0;
  // Skip a UTF-8 byte-order mark and leading whitespace.
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  if (i === bytes.length) return 'empty';
  if (bytes[i] === 0x7b) return 'json';
  return 'unknown';
}

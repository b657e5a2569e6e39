/**
 * Reads one stored (uncompressed) member of a zip archive: enough to take
 * `model.weights.h5` out of a `.keras` archive that Strata itself wrote.
 */

/** The bytes of an uncompressed member, found through the central directory; undefined if absent. */
export function storedZipMember(zip: Uint8Array, name: string): Uint8Array | undefined {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  // End of central directory record: signature 0x06054b50, at least 22 bytes from the end.
  let end = -1;
  for (let i = zip.length - 22; i >= 0; i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) return undefined;
  const entries = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  const decoder = new TextDecoder();
  for (let n = 0; n < entries; n++) {
    if (view.getUint32(offset, true) !== 0x02014b50) return undefined;
    const method = view.getUint16(offset + 10, true);
    const size = view.getUint32(offset + 20, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    const localOffset = view.getUint32(offset + 42, true);
    const entryName = decoder.decode(zip.subarray(offset + 46, offset + 46 + nameLength));
    if (entryName === name) {
      if (method !== 0) return undefined;
      const localName = view.getUint16(localOffset + 26, true);
      const localExtra = view.getUint16(localOffset + 28, true);
      const start = localOffset + 30 + localName + localExtra;
      return zip.subarray(start, start + size);
    }
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return undefined;
}

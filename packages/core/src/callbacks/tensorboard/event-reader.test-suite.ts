/**
 * An event-file reader written for the tests, independent of the writer: TFRecord frames are
 * checked with a bit-by-bit CRC-32C (not the writer's table), and the protobuf wire format is
 * parsed generically, then read as tensorboard's `Event` / `Summary` messages.
 */

/** CRC-32C computed bit by bit (reflected polynomial 0x82F63B78). */
function slowCrc32c(bytes: Uint8Array): number {
  let crc = ~0 >>> 0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return ~crc >>> 0;
}

function unmask(masked: number): number {
  const rotated = (masked - 0xa282ead8) >>> 0;
  return ((rotated >>> 17) | (rotated << 15)) >>> 0;
}

/** Splits a TFRecord file into its records, checking both CRCs of each. */
export function readTfRecords(file: Uint8Array): Uint8Array[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const records: Uint8Array[] = [];
  let at = 0;
  while (at < file.length) {
    if (at + 12 > file.length) throw new Error(`truncated header at ${at}`);
    const length = Number(view.getBigUint64(at, true));
    if (unmask(view.getUint32(at + 8, true)) !== slowCrc32c(file.subarray(at, at + 8)))
      throw new Error(`bad length CRC at ${at}`);
    const data = file.subarray(at + 12, at + 12 + length);
    if (data.length !== length || at + 16 + length > file.length) throw new Error(`truncated record at ${at}`);
    if (unmask(view.getUint32(at + 12 + length, true)) !== slowCrc32c(data)) throw new Error(`bad data CRC at ${at}`);
    records.push(data);
    at += 16 + length;
  }
  return records;
}

type Field = { field: number; wire: number; varint?: bigint; bytes?: Uint8Array; fixed?: DataView };

/** Parses protobuf wire format into its fields, in order. */
export function parseProto(bytes: Uint8Array): Field[] {
  const fields: Field[] = [];
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (at >= bytes.length) throw new Error('truncated varint');
      const byte = bytes[at++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
  };
  while (at < bytes.length) {
    const key = Number(varint());
    const [field, wire] = [key >>> 3, key & 7];
    if (wire === 0) fields.push({ field, wire, varint: varint() });
    else if (wire === 1 || wire === 5) {
      const size = wire === 1 ? 8 : 4;
      fields.push({ field, wire, fixed: new DataView(bytes.buffer, bytes.byteOffset + at, size) });
      at += size;
    } else if (wire === 2) {
      const length = Number(varint());
      fields.push({ field, wire, bytes: bytes.subarray(at, at + length) });
      at += length;
    } else throw new Error(`unsupported wire type ${wire}`);
    if (at > bytes.length) throw new Error('field runs past the end');
  }
  return fields;
}

/** A decoded `Event`. */
export interface DecodedEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  /** Summary values: tag → simple_value. */
  scalars: Map<string, number>;
  /** Summary values holding a string tensor: tag → plugin name, plugin content, dtype, rank and the string. */
  texts: Map<string, { plugin: string; content: string; dtype: number; rank: number; text: string }>;
}

/**
 * Decodes an `Event` (wall_time=1, step=2, file_version=3, summary=5{value=1{tag=1, simple_value=2,
 * metadata=9{plugin_data=1{plugin_name=1, content=2}}, tensor=8{dtype=1, tensor_shape=2{dim=2}, string_val=8}}}).
 */
export function decodeEvent(bytes: Uint8Array): DecodedEvent {
  const event: DecodedEvent = { wallTime: Number.NaN, step: 0, scalars: new Map(), texts: new Map() };
  const text = (b: Uint8Array | undefined): string => new TextDecoder('utf-8', { fatal: true }).decode(b);
  for (const f of parseProto(bytes)) {
    if (f.field === 1 && f.wire === 1) event.wallTime = f.fixed!.getFloat64(0, true);
    else if (f.field === 2 && f.wire === 0) event.step = Number(BigInt.asIntN(64, f.varint!));
    else if (f.field === 3 && f.wire === 2) event.fileVersion = text(f.bytes);
    else if (f.field === 5 && f.wire === 2) {
      for (const value of parseProto(f.bytes!).filter((v) => v.field === 1)) {
        const inner = parseProto(value.bytes!);
        const tag = text(inner.find((v) => v.field === 1)?.bytes);
        const simple = inner.find((v) => v.field === 2 && v.wire === 5);
        const tensor = inner.find((v) => v.field === 8 && v.wire === 2);
        if (simple !== undefined) event.scalars.set(tag, simple.fixed!.getFloat32(0, true));
        else if (tensor !== undefined) {
          const metadata = parseProto(inner.find((v) => v.field === 9)!.bytes!);
          const pluginData = parseProto(metadata.find((v) => v.field === 1)!.bytes!);
          const fields = parseProto(tensor.bytes!);
          const shape = fields.find((v) => v.field === 2);
          event.texts.set(tag, {
            plugin: text(pluginData.find((v) => v.field === 1)?.bytes),
            content: text(pluginData.find((v) => v.field === 2)?.bytes),
            dtype: Number(fields.find((v) => v.field === 1)?.varint),
            rank: shape === undefined ? -1 : parseProto(shape.bytes!).filter((v) => v.field === 2).length,
            text: text(fields.find((v) => v.field === 8)?.bytes),
          });
        } else throw new Error(`value ${tag} has neither simple_value nor tensor`);
      }
    } else throw new Error(`unexpected Event field ${f.field} (wire type ${f.wire})`);
  }
  return event;
}

/** Reads a whole event file. */
export function readEventFile(file: Uint8Array): DecodedEvent[] {
  return readTfRecords(file).map(decodeEvent);
}

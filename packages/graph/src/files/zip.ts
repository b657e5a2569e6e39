/**
 * Reading and writing zip archives (the `.keras` container). Reading parses the
 * central directory first, checks every declared size (each member and the total)
 * against the limits, and inflates only the members asked for, into a buffer of the
 * declared size whose CRC-32 must match, so a member can neither grow past what it
 * declares nor be unpacked when it is not needed.
 *
 * @packageDocumentation
 */
import { inflateSync, zipSync, type Zippable } from 'fflate';
import { ModelFileError, causeSummary } from './errors.js';
import { formatBytes, raiseHint, resolveLimits, type LoadLimits } from './limits.js';

/** Like Keras's `_reject_zip_bomb`: a big member that expands more than 100× is refused. */
const MAX_EXPANSION = 100;
const BOMB_FLOOR_BYTES = 2 ** 28;

/** One member as the central directory describes it. */
export interface ZipMemberInfo {
  /** Name inside the archive. */
  name: string;
  /** 0 stored, 8 deflate. */
  method: number;
  /** Bytes in the archive. */
  compressedSize: number;
  /** Bytes once inflated. */
  size: number;
  crc32: number;
  localHeaderOffset: number;
}

/** A zip archive whose members are inflated one at a time, on request. */
export interface ZipArchive {
  /** Members by name (the last of duplicate names wins, as Python's zipfile). */
  readonly members: ReadonlyMap<string, ZipMemberInfo>;
  /** Inflates one member, checking its size and CRC-32. */
  read(name: string): Uint8Array;
}

function corrupt(file: string, problem: string): ModelFileError {
  return new ModelFileError(file, `is a corrupt or truncated zip archive (${problem})`);
}

function findEndOfCentralDirectory(view: DataView, file: string): number {
  const last = view.byteLength - 22;
  for (let at = last; at >= Math.max(0, last - 0xffff); at--) {
    if (view.getUint32(at, true) === 0x06054b50) return at;
  }
  throw corrupt(file, 'no end of central directory record');
}

function zip64Field(view: DataView, extraStart: number, extraEnd: number, wanted: boolean[]): number[] {
  const out: number[] = [];
  for (let at = extraStart; at + 4 <= extraEnd;) {
    const id = view.getUint16(at, true);
    const length = view.getUint16(at + 2, true);
    if (id === 0x0001) {
      let field = at + 4;
      for (const want of wanted) {
        if (!want) continue;
        if (field + 8 > at + 4 + length) break;
        out.push(Number(view.getBigUint64(field, true)));
        field += 8;
      }
      return out;
    }
    at += 4 + length;
  }
  return out;
}

/** Parses the central directory (zip64 included) without inflating anything. */
function readCentralDirectory(bytes: Uint8Array, file: string): Map<string, ZipMemberInfo> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 22) throw corrupt(file, 'too short for a zip archive');
  const end = findEndOfCentralDirectory(view, file);
  let count = view.getUint16(end + 10, true);
  let directoryOffset = view.getUint32(end + 16, true);
  if (count === 0xffff || directoryOffset === 0xffffffff) {
    const locator = end - 20;
    if (locator < 0 || view.getUint32(locator, true) !== 0x07064b50) throw corrupt(file, 'zip64 locator missing');
    const record = Number(view.getBigUint64(locator + 8, true));
    if (record + 56 > bytes.length || view.getUint32(record, true) !== 0x06064b50)
      throw corrupt(file, 'zip64 end record missing');
    count = Number(view.getBigUint64(record + 32, true));
    directoryOffset = Number(view.getBigUint64(record + 48, true));
  }
  const members = new Map<string, ZipMemberInfo>();
  const decoder = new TextDecoder();
  let at = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50)
      throw corrupt(file, `central directory entry ${i} is damaged`);
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const crc32 = view.getUint32(at + 16, true);
    let compressedSize = view.getUint32(at + 20, true);
    let size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    let localHeaderOffset = view.getUint32(at + 42, true);
    const nameEnd = at + 46 + nameLength;
    if (nameEnd + extraLength > bytes.length) throw corrupt(file, `central directory entry ${i} is cut off`);
    const name = decoder.decode(bytes.subarray(at + 46, nameEnd));
    const wanted = [size === 0xffffffff, compressedSize === 0xffffffff, localHeaderOffset === 0xffffffff];
    if (wanted.some(Boolean)) {
      const values = zip64Field(view, nameEnd, nameEnd + extraLength, wanted);
      if (wanted[0]) size = values.shift() ?? size;
      if (wanted[1]) compressedSize = values.shift() ?? compressedSize;
      if (wanted[2]) localHeaderOffset = values.shift() ?? localHeaderOffset;
    }
    if (flags & 1) throw new ModelFileError(file, `zip member ${name} is encrypted, which Keras archives never are`);
    members.set(name, { name, method, compressedSize, size, crc32, localHeaderOffset });
    at = nameEnd + extraLength + commentLength;
  }
  return members;
}

let crcTable: Uint32Array | undefined;

function crc32Of(bytes: Uint8Array): number {
  crcTable ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * Opens a zip archive: reads its central directory and checks every declared size
 * against `limits` (each member ≤ `maxMemberBytes`, all members together ≤
 * `maxTotalBytes`, no big member expanding more than 100×) before anything is inflated.
 *
 * @throws ModelFileError for a corrupt or truncated archive, or sizes over the limits
 */
export function openZipArchive(bytes: Uint8Array, displayName: string, limits?: Partial<LoadLimits>): ZipArchive {
  const resolved = resolveLimits(limits);
  const members = readCentralDirectory(bytes, displayName);
  let total = 0;
  for (const member of members.values()) {
    if (member.size > resolved.maxMemberBytes) {
      throw new ModelFileError(
        displayName,
        `zip member ${member.name} is too large or expands too much: it declares ${formatBytes(member.size)}, more than limits.maxMemberBytes (${formatBytes(resolved.maxMemberBytes)}); ${raiseHint('maxMemberBytes')}`,
      );
    }
    if (member.size > BOMB_FLOOR_BYTES && member.size > MAX_EXPANSION * member.compressedSize) {
      throw new ModelFileError(
        displayName,
        `zip member ${member.name} is too large or expands too much (${formatBytes(member.compressedSize)} → ${formatBytes(member.size)}); refusing to unpack it`,
      );
    }
    total += member.size;
  }
  if (total > resolved.maxTotalBytes) {
    throw new ModelFileError(
      displayName,
      `zip members declare ${formatBytes(total)} in total, more than limits.maxTotalBytes (${formatBytes(resolved.maxTotalBytes)}); ${raiseHint('maxTotalBytes')}`,
    );
  }
  return { members, read: (name) => inflateMember(bytes, members, name, displayName) };
}

function inflateMember(
  bytes: Uint8Array,
  members: ReadonlyMap<string, ZipMemberInfo>,
  name: string,
  file: string,
): Uint8Array {
  const member = members.get(name);
  if (!member) throw new ModelFileError(file, `has no zip member ${name}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = member.localHeaderOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== 0x04034b50)
    throw corrupt(file, `local header of ${name} is missing`);
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const stop = start + member.compressedSize;
  if (stop > bytes.length) throw corrupt(file, `member ${name} is cut off`);
  const packed = bytes.subarray(start, stop);
  let data: Uint8Array;
  if (member.method === 0) {
    if (member.compressedSize !== member.size) throw corrupt(file, `stored member ${name} has two different sizes`);
    data = packed;
  } else if (member.method === 8) {
    try {
      // A buffer of the declared size: fflate stops there, so the member cannot grow past it.
      data = inflateSync(packed, { out: new Uint8Array(member.size) });
    } catch (cause) {
      throw corrupt(file, `member ${name}: ${causeSummary(cause)}`);
    }
  } else {
    throw new ModelFileError(
      file,
      `zip member ${name} uses compression method ${member.method}; Keras archives use stored (0) or deflate (8)`,
    );
  }
  if (data.length !== member.size || crc32Of(data) !== member.crc32) {
    throw corrupt(file, `member ${name} does not match its declared size and CRC-32`);
  }
  return data;
}

/**
 * Unpacks every member of a zip archive (sizes checked first, see {@link openZipArchive}).
 *
 * @throws ModelFileError for a corrupt or truncated archive, or a decompression bomb
 */
export function readZipMembers(
  bytes: Uint8Array,
  displayName: string,
  limits?: Partial<LoadLimits>,
): Map<string, Uint8Array> {
  const archive = openZipArchive(bytes, displayName, limits);
  return new Map([...archive.members.keys()].map((name) => [name, archive.read(name)]));
}

/** Packs members (in the given order) into a zip archive; `stored` members are not compressed. */
export function writeZip(members: [name: string, bytes: Uint8Array, stored: boolean][]): Uint8Array {
  const zippable: Zippable = {};
  // 1980-01-01 like Python's zipfile, so archives are reproducible.
  const mtime = new Date(1980, 0, 1);
  for (const [name, bytes, stored] of members) zippable[name] = [bytes, { level: stored ? 0 : 6, mtime }];
  return zipSync(zippable);
}

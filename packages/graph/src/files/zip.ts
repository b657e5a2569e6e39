/**
 * Reading and writing zip archives (the `.keras` container) with fflate.
 *
 * @packageDocumentation
 */
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { ModelFileError, causeSummary } from './errors.js';

/** Members above this size are refused outright (Node buffers cannot hold them anyway). */
const MAX_MEMBER_BYTES = 2 ** 31 - 1;
/** Like Keras's `_reject_zip_bomb`: a big member that expands more than 100× is refused. */
const MAX_EXPANSION = 100;
const BOMB_FLOOR_BYTES = 2 ** 28;

/**
 * Unpacks every member of a zip archive.
 *
 * @throws ModelFileError for a corrupt or truncated archive, or a decompression bomb
 */
export function readZipMembers(bytes: Uint8Array, displayName: string): Map<string, Uint8Array> {
  let refused: string | undefined;
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(bytes, {
      filter: (file) => {
        const bomb = file.originalSize > BOMB_FLOOR_BYTES && file.originalSize > MAX_EXPANSION * file.size;
        if (file.originalSize > MAX_MEMBER_BYTES || bomb) refused ??= file.name;
        return refused === undefined;
      },
    });
  } catch (cause) {
    throw new ModelFileError(displayName, `is a corrupt or truncated zip archive (${causeSummary(cause)})`);
  }
  if (refused !== undefined) {
    throw new ModelFileError(displayName, `zip member ${refused} is too large or expands too much; refusing to unpack it`);
  }
  return new Map(Object.entries(members));
}

/** Packs members (in the given order) into a zip archive; `stored` members are not compressed. */
export function writeZip(members: [name: string, bytes: Uint8Array, stored: boolean][]): Uint8Array {
  const zippable: Zippable = {};
  // 1980-01-01 like Python's zipfile, so archives are reproducible.
  const mtime = new Date(1980, 0, 1);
  for (const [name, bytes, stored] of members) zippable[name] = [bytes, { level: stored ? 0 : 6, mtime }];
  return zipSync(zippable);
}

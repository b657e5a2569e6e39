/**
 * The `assets/` folder of a `.keras` archive: files a layer writes with `save_assets` (e.g. a
 * lookup layer's `vocabulary.txt`), at `assets/<the layer's weights path>/<file>`. Member
 * names come from an untrusted file, so each is checked as a relative path of plain segments
 * (never used as a filesystem path: assets are returned in memory, by name, in a Map), and each
 * asset is bounded by `maxConfigBytes` on top of the archive's member and total limits.
 *
 * @packageDocumentation
 */
import { ModelFileError } from './errors.js';
import { formatBytes, raiseHint, type LoadLimits } from './limits.js';
import type { ZipArchive } from './zip.js';

/** The archive folder that holds assets. */
export const ASSETS_DIRNAME = 'assets';

/**
 * Why `path` (relative to `assets/`) is not a safe asset name, or undefined when it is: plain
 * segments only (no empty, `.` or `..` segment, no backslash, drive letter, NUL or control character).
 */
export function assetPathProblem(path: string): string | undefined {
  if (path === '') return 'it is empty';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\\]/.test(path)) return 'it contains a backslash or a control character';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'it is absolute';
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') return `it has the segment "${segment}"`;
  }
  return undefined;
}

/**
 * Reads the assets of an opened `.keras` archive, keyed by their path inside `assets/`
 * (`layers/string_lookup/vocabulary.txt`); only those `wanted` accepts are inflated (every
 * name is checked). Folder entries are skipped.
 *
 * @throws ModelFileError for an unsafe member name or a wanted asset over `limits.maxConfigBytes`
 */
export function readKerasAssets(
  archive: ZipArchive,
  file: string,
  limits: LoadLimits,
  wanted: (path: string) => boolean = () => true,
): Map<string, Uint8Array> {
  const assets = new Map<string, Uint8Array>();
  const prefix = `${ASSETS_DIRNAME}/`;
  for (const member of archive.members.values()) {
    if (!member.name.startsWith(prefix) || member.name.endsWith('/')) continue;
    const path = member.name.slice(prefix.length);
    const problem = assetPathProblem(path);
    if (problem !== undefined)
      throw new ModelFileError(file, `zip member ${JSON.stringify(member.name)} is not a valid asset name: ${problem}`);
    if (!wanted(path)) continue;
    if (member.size > limits.maxConfigBytes) {
      throw new ModelFileError(
        file,
        `asset ${member.name} declares ${formatBytes(member.size)}, more than limits.maxConfigBytes (${formatBytes(limits.maxConfigBytes)}); ${raiseHint('maxConfigBytes')}`,
      );
    }
    assets.set(path, archive.read(member.name));
  }
  return assets;
}

/** Archive members for assets given by their path inside `assets/`, each name checked. */
export function assetMembers(assets: ReadonlyMap<string, Uint8Array>, file: string): [string, Uint8Array, boolean][] {
  return [...assets].map(([path, bytes]) => {
    const problem = assetPathProblem(path);
    if (problem !== undefined) throw new ModelFileError(file, `cannot write asset ${JSON.stringify(path)}: ${problem}`);
    return [`${ASSETS_DIRNAME}/${path}`, bytes, false];
  });
}

/**
 * Atomic file replacement: write beside the target, then rename over it.
 *
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto';
import { chmod, lstat, readdir, readlink, realpath, rm, stat, writeFile, rename } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ModelFileError, causeSummary } from './errors.js';

/** What marks a temp file of an unfinished save: `.NAME.strata-tmp-<pid>-<random>`. */
const TEMP_MARK = '.strata-tmp-';

/**
 * A temp-file path in the same directory as `target` (so the final rename cannot cross
 * filesystems), named `.NAME.strata-tmp-<pid>-<random>` so that a crashed save's leftover
 * says what it is and which process wrote it.
 */
export function siblingTempPath(target: string): string {
  return join(dirname(target), `.${basename(target)}${TEMP_MARK}${process.pid}-${randomBytes(6).toString('hex')}`);
}

const errorCode = (cause: unknown): string | undefined => (cause as NodeJS.ErrnoException | undefined)?.code;

/** Why files cannot be created in `target`'s folder (missing, or a file on the way), or undefined. */
async function folderProblem(target: string): Promise<string | undefined> {
  const folder = dirname(resolve(target));
  for (let current = folder; ; current = dirname(current)) {
    try {
      const stats = await stat(current);
      if (!stats.isDirectory()) return `${current} is a file, not a folder`;
      return current === folder ? undefined : `the folder ${folder} does not exist`;
    } catch (cause) {
      const code = errorCode(cause);
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(current) === current) return undefined;
    }
  }
}

/** The file to replace (a symlink's destination) and its mode, when it exists. */
async function resolveTarget(target: string): Promise<{ path: string; mode?: number }> {
  let stats;
  try {
    stats = await lstat(target);
  } catch {
    return { path: target };
  }
  if (!stats.isSymbolicLink()) return { path: target, mode: stats.mode };
  try {
    const path = await realpath(target);
    return { path, mode: (await stat(path)).mode };
  } catch {
    const destination = resolve(dirname(target), await readlink(target));
    throw new ModelFileError(
      target,
      `is a symbolic link to ${destination}, which does not exist; save to a real path instead`,
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (cause) {
    // EPERM: the process exists but belongs to someone else.
    return errorCode(cause) === 'EPERM';
  }
}

/** Removes temp files that saves to `target` left behind when their process died. */
async function removeCrashedTemps(target: string): Promise<void> {
  const prefix = `.${basename(target)}${TEMP_MARK}`;
  let names: string[];
  try {
    names = await readdir(dirname(target));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-[0-9a-f]+$/.exec(name.slice(prefix.length))?.[1]);
    // Our own temps belong to saves still running in this process; a live pid is saving now.
    if (!Number.isSafeInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    await rm(join(dirname(target), name), { force: true }).catch(() => undefined);
  }
}

/**
 * Writes `bytes` to `target` atomically: a crash leaves either the old file or the new one,
 * never a half-written model. The new file keeps the mode of the file it replaces. A symlink
 * at `target` is followed: the file it points to is replaced (atomically, beside itself) and
 * the link stays; a symlink to a missing file is refused. The temp file is removed when the
 * write fails; temps left by a save whose process died are removed by the next save to the
 * same path.
 *
 * @param mode - file permissions for the new file (default: those of the file it replaces)
 * @throws ModelFileError naming `target` when its folder is missing, a path component is a
 *   file, the directory is not writable, or a symlink points nowhere
 */
export async function writeFileAtomic(target: string, bytes: Uint8Array | string, mode?: number): Promise<void> {
  const problem = await folderProblem(target);
  if (problem !== undefined) throw new ModelFileError(target, `could not be written: ${problem}`);
  const resolved = await resolveTarget(target);
  await removeCrashedTemps(resolved.path);
  const temp = siblingTempPath(resolved.path);
  const finalMode = mode ?? resolved.mode;
  try {
    await writeFile(temp, bytes, { flag: 'wx' });
    if (finalMode !== undefined) await chmod(temp, finalMode & 0o7777);
    await rename(temp, resolved.path);
  } catch (cause) {
    // Cleaning up must not replace the real error with its own (e.g. ENOTDIR).
    await rm(temp, { force: true }).catch(() => undefined);
    throw new ModelFileError(target, `could not be written (${causeSummary(cause)})`);
  }
}

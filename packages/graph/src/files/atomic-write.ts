/**
 * Atomic file replacement: write beside the target, then rename over it.
 *
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto';
import { chmod, rm, writeFile, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ModelFileError, causeSummary } from './errors.js';

/** A temp-file path in the same directory as `target` (so the final rename cannot cross filesystems). */
export function siblingTempPath(target: string): string {
  return join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Writes `bytes` to `target` atomically: a crash leaves either the old file or the
 * new one, never a half-written model.
 *
 * @param mode - file permissions to give the new file (e.g. those of the file it replaces)
 * @throws ModelFileError when the directory is not writable
 */
export async function writeFileAtomic(target: string, bytes: Uint8Array | string, mode?: number): Promise<void> {
  const temp = siblingTempPath(target);
  try {
    await writeFile(temp, bytes, { flag: 'wx' });
    if (mode !== undefined) await chmod(temp, mode & 0o7777);
    await rename(temp, target);
  } catch (cause) {
    await rm(temp, { force: true });
    throw new ModelFileError(target, `could not be written (${causeSummary(cause)})`);
  }
}

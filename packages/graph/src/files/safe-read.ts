/**
 * Reading files named by untrusted input: only regular files, never devices, FIFOs or
 * directories (which would hang or grow without bound), with the size checked before
 * any bytes are read; and paths from a file resolved strictly inside the file's folder.
 *
 * @packageDocumentation
 */
import { constants } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { ModelFileError, causeSummary } from './errors.js';
import { formatBytes, raiseHint, type LoadLimits } from './limits.js';

function kindOf(info: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
}): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device file';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** `what` followed by a space, or nothing when the message is about `file` itself. */
function subject(what: string): string {
  return what === '' ? '' : `${what} `;
}

function osError(cause: unknown, file: string, what: string): ModelFileError {
  const code = (cause as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new ModelFileError(file, `${subject(what)}does not exist`);
  if (code === 'EISDIR') return new ModelFileError(file, `${subject(what)}is a directory, not a model file`);
  if (code === 'EACCES' || code === 'EPERM')
    return new ModelFileError(file, `${subject(what)}is not readable (permission denied)`);
  return new ModelFileError(file, `${subject(what)}could not be read (${causeSummary(cause)})`);
}

/**
 * Reads a whole regular file. Devices, FIFOs, sockets and directories are refused before
 * reading (opened non-blocking, so a FIFO cannot hang), and so is a file larger than
 * `maxBytes`; at most the size seen by `fstat` is read.
 *
 * @param file - the name for error messages (the model file the path came from)
 * @param what - how to call the path in messages, e.g. `weight shard a.bin`; `''` when
 *   `path` is `file` itself (messages then read "<file>: is a FIFO …")
 * @param limitKey - which limit `maxBytes` is, for the hint in the message
 */
export async function readRegularFile(
  path: string,
  file: string,
  what: string,
  maxBytes: number,
  limitKey: keyof LoadLimits = 'maxMemberBytes',
): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (cause) {
    throw osError(cause, file, what);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      throw new ModelFileError(file, `${subject(what)}is ${kindOf(info)}; only regular files are read`);
    }
    if (info.size > maxBytes) {
      throw new ModelFileError(
        file,
        `${subject(what)}holds ${formatBytes(info.size)}, more than limits.${limitKey} (${formatBytes(maxBytes)}); ${raiseHint(limitKey)}`,
      );
    }
    const bytes = new Uint8Array(info.size);
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === bytes.length ? bytes : bytes.subarray(0, filled);
  } catch (cause) {
    if (cause instanceof ModelFileError) throw cause;
    throw osError(cause, file, what);
  } finally {
    await handle.close();
  }
}

/**
 * Resolves a relative path written in `file` (e.g. a TF.js shard name) inside the folder
 * of `file`. Absolute paths, `..` that leaves the folder and symlinks whose target lies
 * outside it are refused, naming the path and what is wrong.
 *
 * @returns the real path of the target (symlinks resolved)
 */
export async function resolveInsideFolder(file: string, written: string, what: string): Promise<string> {
  if (written === '' || isAbsolute(written) || /^[a-zA-Z]:|^[\\/]/.test(written)) {
    throw new ModelFileError(
      file,
      `${what} "${written}" is an absolute path; only files inside the model's folder are read`,
    );
  }
  if (written.includes('\0'))
    throw new ModelFileError(file, `${what} "${written.replace(/\0/g, '\\0')}" contains a NUL byte`);
  const folder = await realpath(dirname(resolve(file))).catch((cause: unknown) => {
    throw osError(cause, file, 'the model folder');
  });
  const inside = (target: string): boolean => {
    const rel = relative(folder, target);
    return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
  };
  const joined = resolve(folder, written);
  if (!inside(joined)) {
    throw new ModelFileError(
      file,
      `${what} "${written}" points outside the model's folder (${folder}); only files inside it are read`,
    );
  }
  let real: string;
  try {
    real = await realpath(joined);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'it does not exist' : causeSummary(cause);
    throw new ModelFileError(file, `${what} ${written} could not be read: ${problem} (looked for ${joined})`);
  }
  if (!inside(real)) {
    throw new ModelFileError(
      file,
      `${what} "${written}" is a link to ${real}, outside the model's folder; only files inside it are read`,
    );
  }
  const info = await stat(real);
  if (!info.isFile())
    throw new ModelFileError(file, `${what} "${written}" is ${kindOf(info)}; only regular files are read`);
  return real;
}

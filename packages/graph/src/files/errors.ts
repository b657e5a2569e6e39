/**
 * The one error type the file readers and writers throw for bad input.
 *
 * @packageDocumentation
 */

/**
 * A model file could not be read or written. The message names the file and the
 * problem; low-level causes (zip, HDF5, JSON parser) are summarised, never dumped.
 */
export class ModelFileError extends Error {
  /** The file the problem is about. */
  readonly file: string;

  /**
   * @param file - the file the problem is about
   * @param problem - what is wrong, in one sentence (without the file name)
   */
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'ModelFileError';
    this.file = file;
  }
}

/** Gives the first line of an unknown thrown value's message, for wrapping causes. */
export function causeSummary(cause: unknown): string {
  const text = cause instanceof Error ? cause.message : String(cause);
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  // HDF5's error stacks end with the most specific "minor:" line; prefer it.
  const minor = [...lines].reverse().find((line) => line.startsWith('minor:'));
  return (minor ? minor.slice('minor:'.length).trim() : (lines[0] ?? 'unknown error')).slice(0, 200);
}

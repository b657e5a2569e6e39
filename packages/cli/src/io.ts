/**
 * Where the CLI reads and writes: injected so the CLI runs in-process in tests.
 *
 * @packageDocumentation
 */

/** The CLI's view of its process. */
export interface CliIo {
  /** Writes to standard output. */
  stdout(text: string): void;
  /** Writes to standard error. */
  stderr(text: string): void;
  /** The working directory (config discovery, relative paths). */
  cwd: string;
  /** Environment variables (`NO_COLOR`, `FORCE_COLOR`). */
  env: Record<string, string | undefined>;
  /** True when standard output is a terminal (colour is used only then). */
  stdoutIsTTY: boolean;
}

/** The real process's streams, directory and environment. */
export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    stdoutIsTTY: process.stdout.isTTY === true,
  };
}

/**
 * Decides whether to colour output: `--color`/`--no-color` win, then `NO_COLOR`
 * (any non-empty value disables, see no-color.org), then `FORCE_COLOR`, then TTY.
 */
export function useColor(io: CliIo, flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  if (io.env['NO_COLOR']) return false;
  const force = io.env['FORCE_COLOR'];
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  return io.stdoutIsTTY;
}

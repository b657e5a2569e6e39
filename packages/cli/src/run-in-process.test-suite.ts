/** Runs the CLI in-process and captures its output (shared by the command tests). */
import { run, type CliIo } from './cli.js';

/** What a run printed and returned. */
export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `strata argv…` in `cwd`, capturing stdout and stderr. */
export async function runCli(argv: string[], cwd: string): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    cwd,
    env: {},
    stdoutIsTTY: false,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

/**
 * `strata codegen <model file>`: prints Strata TypeScript that builds the file's architecture.
 *
 * @packageDocumentation
 */
import { resolve } from 'node:path';
import { keras3ModelOf, readModelFile } from '@strata/graph';
import { parseArgs, UsageError, type OptionSpec } from '../args.js';
import { generateModelCode } from '../codegen.js';
import type { CliIo } from '../io.js';

/** Options of `strata codegen`. */
export const CODEGEN_OPTIONS: readonly OptionSpec[] = [
  { name: 'help', alias: 'h', type: 'boolean', description: 'show this help' },
];

/**
 * Runs `strata codegen`. Keras 2 and TF.js files are first brought into Keras 3 form (as
 * `strata convert` does), so the code builds what Strata's Keras 3 view of the file is.
 */
export async function runCodegen(argv: readonly string[], io: CliIo, help: (command: string) => void): Promise<number> {
  const { positionals, options } = parseArgs(argv, CODEGEN_OPTIONS);
  if (options.get('help') === true) {
    help('codegen');
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('strata codegen takes exactly one model file');
  const file = await readModelFile(resolve(io.cwd, positionals[0]!));
  const { model, notes } = keras3ModelOf(file);
  for (const note of notes) io.stderr(`strata: note: ${note}\n`);
  io.stdout(generateModelCode(model, positionals[0]!));
  return 0;
}

/**
 * `strata inspect <model file>`: format, writer version, layers, weight arrays and compile config.
 *
 * @packageDocumentation
 */
import { resolve } from 'node:path';
import { readModelFile } from '@strata/graph';
import { parseArgs, UsageError, type OptionSpec } from '../args.js';
import { inspectModelFile, renderInspection } from '../inspect.js';
import type { CliIo } from '../io.js';
import { hintCliFlags, limitsFromOptions, LIMIT_OPTIONS } from '../limit-options.js';

/** Options of `strata inspect`. */
export const INSPECT_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'format',
    alias: 'f',
    type: 'string',
    choices: ['text', 'json'],
    description: 'output format (default: text)',
  },
  ...LIMIT_OPTIONS,
  { name: 'help', alias: 'h', type: 'boolean', description: 'show this help' },
];

/**
 * Runs `strata inspect`. An unreadable file propagates as ModelFileError (exit 2); weights that
 * cannot be read are reported after the rest of the file, also with exit 2.
 */
export async function runInspect(argv: readonly string[], io: CliIo, help: (command: string) => void): Promise<number> {
  const { positionals, options } = parseArgs(argv, INSPECT_OPTIONS);
  if (options.get('help') === true) {
    help('inspect');
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('strata inspect takes exactly one model file');
  const file = await readModelFile(resolve(io.cwd, positionals[0]!), { limits: limitsFromOptions(options) });
  const inspection = await inspectModelFile(file);
  if (inspection.weightsError !== undefined) inspection.weightsError = hintCliFlags(inspection.weightsError);
  io.stdout(
    options.get('format') === 'json' ? `${JSON.stringify(inspection, null, 2)}\n` : renderInspection(inspection),
  );
  if (inspection.weightsError !== undefined) {
    io.stderr(`strata: ${inspection.weightsError}\n`);
    return 2;
  }
  return 0;
}

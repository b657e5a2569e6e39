/**
 * `strata convert <in> <out>`: any readable model file → Keras 3 `.keras`, or → TF.js
 * `model.json` + weight shards, chosen by the output's extension. Never loads TF.js.
 *
 * @packageDocumentation
 */
import { extname, resolve } from 'node:path';
import { convertToKeras3Archive, convertToTfjsModel, readModelFile } from '@strata/graph';
import { parseArgs, UsageError, type OptionSpec } from '../args.js';
import type { CliIo } from '../io.js';
import { limitsFromOptions, LIMIT_OPTIONS } from '../limit-options.js';

/** Options of `strata convert`. */
export const CONVERT_OPTIONS: readonly OptionSpec[] = [
  { name: 'weights', type: 'string', description: 'a separate weights file for a JSON config (e.g. X_weights.h5)' },
  ...LIMIT_OPTIONS,
  { name: 'help', alias: 'h', type: 'boolean', description: 'show this help' },
];

/** Runs `strata convert`. Unreadable input and unwritable output propagate as ModelFileError (exit 2). */
export async function runConvert(argv: readonly string[], io: CliIo, help: (command: string) => void): Promise<number> {
  const { positionals, options } = parseArgs(argv, CONVERT_OPTIONS);
  if (options.get('help') === true) {
    help('convert');
    return 0;
  }
  if (positionals.length !== 2) throw new UsageError('strata convert takes an input model file and an output path');
  const [input, output] = positionals.map((path) => resolve(io.cwd, path)) as [string, string];
  const extension = extname(output).toLowerCase();
  if (extension !== '.keras' && extension !== '.json') {
    throw new UsageError(`the output must end in .keras (Keras 3) or .json (TF.js model.json + shards), got ${output}`);
  }
  if (input === output) throw new UsageError('the output must be a different file than the input');
  const weightsPath = options.get('weights');
  const limits = limitsFromOptions(options);
  const file = await readModelFile(
    input,
    typeof weightsPath === 'string' ? { weightsPath: resolve(io.cwd, weightsPath), limits } : { limits },
  );
  const report =
    extension === '.keras' ? await convertToKeras3Archive(file, output) : await convertToTfjsModel(file, output);
  for (const note of report.notes) io.stderr(`strata: note: ${note}\n`);
  io.stdout(`wrote ${output} (${report.weights} weight array(s))\n`);
  return 0;
}

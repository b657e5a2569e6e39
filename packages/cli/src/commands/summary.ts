/**
 * `strata summary <model file>`: a Keras-style summary table from the file's config alone.
 * Stored weights are read (a `.keras`'s `model.weights.h5` inflated) only with `--weights`,
 * so summarising an untrusted file never unpacks its weights.
 *
 * @packageDocumentation
 */
import { resolve } from 'node:path';
import {
  analyzeModelShapes,
  escapeTerminalText,
  ModelFileError,
  readModelFile,
  type Shape,
  type WeightEntry,
} from '@strata/graph';
import { parseArgs, UsageError, type OptionSpec } from '../args.js';
import type { CliIo } from '../io.js';
import { hintCliFlags, limitsFromOptions, LIMIT_OPTIONS } from '../limit-options.js';
import { renderSummary, summarizeModel } from '../summary.js';

/** Options of `strata summary`. */
export const SUMMARY_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'weights',
    type: 'boolean',
    description:
      'count parameters from the weights stored in the file (reads and unpacks them); default and --no-weights: from the config',
  },
  ...LIMIT_OPTIONS,
  { name: 'help', alias: 'h', type: 'boolean', description: 'show this help' },
];

/** Runs `strata summary`. Errors reading the file propagate as ModelFileError (exit 2). */
export async function runSummary(argv: readonly string[], io: CliIo, help: (command: string) => void): Promise<number> {
  const { positionals, options } = parseArgs(argv, SUMMARY_OPTIONS);
  if (options.get('help') === true) {
    help('summary');
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('strata summary takes exactly one model file');
  const file = await readModelFile(resolve(io.cwd, positionals[0]!), { limits: limitsFromOptions(options) });
  let shapes = new Map<string, Shape[][]>();
  const notes: string[] = [];
  try {
    const analysis = analyzeModelShapes(file.model);
    shapes = analysis.shapes;
    if (analysis.unknownLayers.length > 0) notes.push(`no shape rule for: ${analysis.unknownLayers.join(', ')}`);
    for (const error of analysis.errors) notes.push(`shape error: ${error.message}`);
  } catch (error) {
    notes.push(`shapes unavailable: ${(error as Error).message}`);
  }
  let weights: WeightEntry[] | undefined;
  if (file.weights && options.get('weights') === true) {
    try {
      weights = await file.weights();
    } catch (error) {
      // The config alone is enough for a summary (e.g. a model.json copied without its shards).
      if (!(error instanceof ModelFileError)) throw error;
      notes.push(`weights not read (${hintCliFlags(error.message)}); counted from the config`);
    }
  }
  io.stdout(renderSummary(summarizeModel(file.model, shapes, weights)));
  for (const note of notes) io.stdout(` note: ${escapeTerminalText(note)}\n`);
  return 0;
}

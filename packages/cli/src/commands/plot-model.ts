/**
 * `strata plot-model <model file> <out.svg>`: draws the file's architecture as an SVG layered
 * graph (layer names, classes, output shapes), like Keras's `plot_model(show_shapes=True)`.
 * Reads the config only (never the weights) and never loads TF.js.
 *
 * @packageDocumentation
 */
import { extname, resolve } from 'node:path';
import { readModelFile, writeModelPlot } from '@strata/graph';
import { parseArgs, UsageError, type OptionSpec } from '../args.js';
import type { CliIo } from '../io.js';
import { limitsFromOptions, LIMIT_OPTIONS } from '../limit-options.js';

/** Options of `strata plot-model`. */
export const PLOT_MODEL_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'rankdir',
    type: 'string',
    choices: ['TB', 'LR'],
    description: 'direction of the graph: TB top to bottom (default) or LR left to right',
  },
  {
    name: 'expand-nested',
    type: 'boolean',
    description: 'draw the layers of nested models inside a frame (default: one box per nested model)',
  },
  { name: 'shapes', type: 'boolean', description: 'show output shapes (default; --no-shapes hides them)' },
  { name: 'classes', type: 'boolean', description: 'show layer classes (default; --no-classes hides them)' },
  ...LIMIT_OPTIONS,
  { name: 'help', alias: 'h', type: 'boolean', description: 'show this help' },
];

/** Runs `strata plot-model`. Unreadable input and unwritable output propagate as ModelFileError (exit 2). */
export async function runPlotModel(
  argv: readonly string[],
  io: CliIo,
  help: (command: string) => void,
): Promise<number> {
  const { positionals, options } = parseArgs(argv, PLOT_MODEL_OPTIONS);
  if (options.get('help') === true) {
    help('plot-model');
    return 0;
  }
  if (positionals.length !== 2) throw new UsageError('strata plot-model takes a model file and an output .svg path');
  const [input, output] = positionals.map((path) => resolve(io.cwd, path)) as [string, string];
  if (extname(output).toLowerCase() !== '.svg') throw new UsageError(`the output must end in .svg, got ${output}`);
  if (input === output) throw new UsageError('the output must be a different file than the input');
  const file = await readModelFile(input, { limits: limitsFromOptions(options) });
  await writeModelPlot(file.model, output, {
    rankdir: options.get('rankdir') === 'LR' ? 'LR' : 'TB',
    expandNested: options.get('expand-nested') === true,
    showShapes: options.get('shapes') !== false,
    showClassNames: options.get('classes') !== false,
  });
  io.stdout(`wrote ${output} (${file.model.layers.length} layer(s))\n`);
  return 0;
}

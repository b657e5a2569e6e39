/**
 * The `strata` command: `lint`, `explain`, `rules`, `summary`, `inspect`, `convert`, `codegen`, `plot-model`,
 * `--version`, `--help`.
 * Runs in-process through {@link run} (tests) or as a process through {@link main}.
 * Never loads TensorFlow.js.
 *
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { escapeTerminalText, ModelFileError } from '@strata/graph';
import { LintConfigError } from '@strata/lint';
import { describeOptions, UsageError, type OptionSpec } from './args.js';
import { LINT_OPTIONS, runLint } from './commands/lint.js';
import { EXPLAIN_OPTIONS, RULES_OPTIONS, runExplain, runRules } from './commands/rules.js';
import { runSummary, SUMMARY_OPTIONS } from './commands/summary.js';
import { INSPECT_OPTIONS, runInspect } from './commands/inspect.js';
import { CONVERT_OPTIONS, runConvert } from './commands/convert.js';
import { CODEGEN_OPTIONS, runCodegen } from './commands/codegen.js';
import { PLOT_MODEL_OPTIONS, runPlotModel } from './commands/plot-model.js';
import { CodegenError } from './codegen.js';
import { processIo, type CliIo } from './io.js';
import { hintCliFlags } from './limit-options.js';

export type { CliIo } from './io.js';

/** The CLI's version, from its package.json (one level above both src/ and dist/). */
export function cliVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

interface CommandHelp {
  usage: string;
  description: string;
  options: readonly OptionSpec[];
  footer?: string;
}

/** Sizes take KB/MB/GB (powers of 1000) or KiB/MiB/GiB (powers of 1024). */
const LIMITS_NOTE =
  'Files are read as untrusted input: the --max-* flags raise the size limits, only for files you trust (sizes: 500MB, 16GiB, or bytes).';

const COMMANDS: Record<string, CommandHelp> = {
  lint: {
    usage: 'strata lint <files, directories or globs…> [options]',
    description: 'Check model files (.keras, .h5, Keras/TF.js JSON) for architecture mistakes.',
    options: LINT_OPTIONS,
    footer: `Exit codes: 0 clean, 1 errors (or warnings over --max-warnings), 2 usage/config error or unreadable file.\n${LIMITS_NOTE}`,
  },
  explain: {
    usage: 'strata explain <rule>',
    description: "Show a rule's rationale, how to fix it and its known false positives.",
    options: EXPLAIN_OPTIONS,
  },
  rules: {
    usage: 'strata rules [--json]',
    description: 'List the rules with their category and preset severities.',
    options: RULES_OPTIONS,
  },
  summary: {
    usage: 'strata summary <model file> [--weights]',
    description: 'Print a Keras-style summary (layers, output shapes, parameter counts) without loading the model.',
    options: SUMMARY_OPTIONS,
    footer: `Counts come from the config; weights are never unpacked unless --weights is given. ${LIMITS_NOTE}`,
  },
  inspect: {
    usage: 'strata inspect <model file> [--format text|json]',
    description:
      'Show what a model file holds: format, Keras version, layers, weight arrays (shape, dtype, bytes), compile config.',
    options: INSPECT_OPTIONS,
    footer: `Exit codes: 0 read, 2 usage error or unreadable file (or unreadable weights, after printing the rest).\n${LIMITS_NOTE}`,
  },
  convert: {
    usage: 'strata convert <input model file> <output.keras | output.json>',
    description:
      'Convert any readable model (.keras, Keras 2 .h5, TF.js model.json) to a Keras 3 .keras, or to a TF.js model.json + weight shard.',
    options: CONVERT_OPTIONS,
    footer: `The output format follows its extension. Files are written atomically. Exit codes: 0 written, 2 usage error or unreadable/unconvertible file.\n${LIMITS_NOTE}`,
  },
  codegen: {
    usage: 'strata codegen <model file> > model.ts',
    description:
      'Print Strata TypeScript that builds the same architecture (Sequential or functional, nested models, shared layers).',
    options: CODEGEN_OPTIONS,
    footer: 'Exit codes: 0 printed, 2 usage error, unreadable file or a model the generated code cannot express.',
  },
  'plot-model': {
    usage: 'strata plot-model <model file> <output.svg> [--rankdir TB|LR] [--expand-nested]',
    description: 'Draw the architecture as an SVG graph (layer names, classes, output shapes), like Keras plot_model.',
    options: PLOT_MODEL_OPTIONS,
    footer: `Only the config is read (never the weights). The SVG is written atomically. Exit codes: 0 written, 2 usage error, unreadable file or unwritable output.\n${LIMITS_NOTE}`,
  },
};

function generalHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  return [
    'Usage: strata <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(width)}  ${command.description}`),
    '',
    'Options:',
    '  -h, --help     show help (also: strata <command> --help)',
    '  -v, --version  print the version',
    '',
  ].join('\n');
}

function commandHelp(name: string): string {
  const command = COMMANDS[name]!;
  return [
    `Usage: ${command.usage}`,
    '',
    command.description,
    '',
    'Options:',
    describeOptions(command.options),
    ...(command.footer ? ['', command.footer] : []),
    '',
  ].join('\n');
}

/**
 * Runs the CLI with `argv` (arguments after the program name) and returns the exit
 * code. User errors are printed as one line on stderr, never as a stack trace.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  const help = (name: string): void => io.stdout(commandHelp(name));
  try {
    switch (command) {
      case undefined:
        io.stderr(generalHelp());
        return 2;
      case '-h':
      case '--help':
      case 'help':
        if (rest[0] !== undefined && Object.hasOwn(COMMANDS, rest[0])) help(rest[0]);
        else io.stdout(generalHelp());
        return 0;
      case '-v':
      case '--version':
        io.stdout(`${cliVersion()}\n`);
        return 0;
      case 'lint':
        return await runLint(rest, io, help);
      case 'explain':
        return runExplain(rest, io, help);
      case 'rules':
        return runRules(rest, io, help);
      case 'summary':
        return await runSummary(rest, io, help);
      case 'inspect':
        return await runInspect(rest, io, help);
      case 'convert':
        return await runConvert(rest, io, help);
      case 'codegen':
        return await runCodegen(rest, io, help);
      case 'plot-model':
        return await runPlotModel(rest, io, help);
      default:
        throw new UsageError(`unknown command ${command} (commands: ${Object.keys(COMMANDS).join(', ')})`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(
        `strata: ${escapeTerminalText(error.message)}\n${command && command in COMMANDS ? `Run strata ${command} --help for usage.` : 'Run strata --help for usage.'}\n`,
      );
      return 2;
    }
    if (error instanceof ModelFileError || error instanceof LintConfigError || error instanceof CodegenError) {
      // Messages quote file content (names, zip members): never let it drive the terminal.
      io.stderr(`strata: ${escapeTerminalText(hintCliFlags(error.message))}\n`);
      return 2;
    }
    // A bug, not a user error: say so, with the stack for the report.
    io.stderr(
      `strata: internal error (please report): ${escapeTerminalText(error instanceof Error ? (error.stack ?? error.message) : String(error)).replace(/\\u000a/g, '\n')}\n`,
    );
    return 3;
  }
}

/** Runs the CLI on `process.argv` and sets the process exit code. */
export async function main(): Promise<void> {
  process.exitCode = await run(process.argv.slice(2), processIo());
}

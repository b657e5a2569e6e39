/**
 * `strata lint`: lints model files and reports findings.
 *
 * @packageDocumentation
 */
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  escapeTerminalText,
  ModelFileError,
  readModelFile,
  writeModelConfigFile,
  type JsonObject,
  type LoadLimits,
  type ModelFile,
  type ModelIR,
} from '@strata/graph';
import {
  allRules,
  applyFixes,
  fixableFindings,
  formatJson,
  formatSarif,
  formatStylish,
  lintModel,
  LintConfigError,
  loadLintConfig,
  type LintConfig,
  type LintResult,
} from '@strata/lint';
import { parseArgs, UsageError, type OptionSpec } from '../args.js';
import { encodeForFile } from '../encode-for-file.js';
import { expandFileArguments } from '../expand-files.js';
import { useColor, type CliIo } from '../io.js';
import { hintCliFlags, limitsFromOptions, LIMIT_OPTIONS } from '../limit-options.js';

/** Options of `strata lint`. */
export const LINT_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'format',
    alias: 'f',
    type: 'string',
    choices: ['stylish', 'json', 'sarif'],
    description: 'output format (default: stylish)',
  },
  { name: 'config', alias: 'c', type: 'string', description: 'config file (default: ./strata-lint.json when present)' },
  {
    name: 'max-warnings',
    type: 'number',
    description: 'exit 1 when there are more warnings than this (default: -1, no limit)',
  },
  { name: 'fix', type: 'boolean', description: 'apply safe fixes, rewriting the model files in place' },
  { name: 'fix-unsafe', type: 'boolean', description: 'also apply fixes that change what the model computes' },
  { name: 'quiet', alias: 'q', type: 'boolean', description: 'report errors only' },
  { name: 'output-file', alias: 'o', type: 'string', description: 'write the report to a file instead of stdout' },
  {
    name: 'color',
    type: 'boolean',
    description: 'force colour on (--no-color: off); default: only on a TTY, never with NO_COLOR',
  },
  ...LIMIT_OPTIONS,
  { name: 'help', alias: 'h', type: 'boolean', description: 'show this help' },
];

/** The config file looked for in the working directory. */
export const CONFIG_FILE_NAME = 'strata-lint.json';

function loadConfig(io: CliIo, explicit: string | undefined): LintConfig | undefined {
  if (explicit !== undefined) return loadLintConfig(resolve(io.cwd, explicit));
  const discovered = resolve(io.cwd, CONFIG_FILE_NAME);
  return existsSync(discovered) ? loadLintConfig(discovered) : undefined;
}

function problemOf(error: unknown, source: string): string {
  const message = error instanceof Error ? error.message : String(error);
  // The report already names the file; keep the problem only, with the flag that raises a limit.
  return hintCliFlags(message.startsWith(`${source}: `) ? message.slice(source.length + 2) : message);
}

/** Lints one file, applying fixes first when asked. Never throws for bad input. */
async function lintFile(
  io: CliIo,
  source: string,
  config: LintConfig | undefined,
  fix: { enabled: boolean; unsafe: boolean },
  limits: Partial<LoadLimits>,
): Promise<LintResult> {
  let file: ModelFile;
  try {
    file = await readModelFile(resolve(io.cwd, source), { limits });
  } catch (error) {
    if (!(error instanceof ModelFileError)) throw error;
    return { source, findings: [], unusedSuppressions: [], fatal: problemOf(error, resolve(io.cwd, source)) };
  }
  const options = config === undefined ? { source } : { config, source };
  let result: LintResult;
  try {
    result = lintModel(file.model, options);
  } catch (error) {
    // A linter bug on one model must not stop the others; report it as unreadable.
    return {
      source,
      findings: [],
      unusedSuppressions: [],
      fatal: `internal error while linting (please report): ${problemOf(error, source)}`,
    };
  }
  if (!fix.enabled) return result;
  const fixable = fixableFindings(result.findings, { unsafe: fix.unsafe });
  if (fixable.length === 0) return result;
  let fixed: ModelIR;
  try {
    fixed = applyFixes(file.model, result.findings, { unsafe: fix.unsafe });
    const encoded: JsonObject = encodeForFile(file, fixed);
    await writeModelConfigFile(file.path, encoded);
  } catch (error) {
    return { ...result, fatal: `fixes could not be written: ${problemOf(error, file.path)}` };
  }
  io.stderr(
    `strata: fixed ${fixable.length} problem${fixable.length === 1 ? '' : 's'} in ${escapeTerminalText(source)}\n`,
  );
  return lintModel(fixed, options);
}

/** Keeps errors only (`--quiet`). */
function errorsOnly(result: LintResult): LintResult {
  return {
    ...result,
    findings: result.findings.filter((finding) => finding.severity === 'error'),
    unusedSuppressions: [],
  };
}

/**
 * Runs `strata lint`.
 *
 * @returns 0 clean, 1 errors or too many warnings, 2 usage/config error or an unreadable file
 */
export async function runLint(argv: readonly string[], io: CliIo, help: (text: string) => void): Promise<number> {
  const { positionals, options } = parseArgs(argv, LINT_OPTIONS);
  if (options.get('help') === true) {
    help('lint');
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('no files given: strata lint <files or globs…>');
  const format = (options.get('format') as string | undefined) ?? 'stylish';
  const maxWarnings = (options.get('max-warnings') as number | undefined) ?? -1;
  const fixUnsafe = options.get('fix-unsafe') === true;
  const fix = { enabled: options.get('fix') === true || fixUnsafe, unsafe: fixUnsafe };
  const quiet = options.get('quiet') === true;
  const outputFile = options.get('output-file') as string | undefined;
  const limits = limitsFromOptions(options);

  let config: LintConfig | undefined;
  try {
    config = loadConfig(io, options.get('config') as string | undefined);
  } catch (error) {
    if (!(error instanceof LintConfigError)) throw error;
    io.stderr(`strata: config error: ${escapeTerminalText(error.message)}\n`);
    return 2;
  }

  const results: LintResult[] = [];
  for (const { argument, files } of expandFileArguments(positionals, io.cwd)) {
    if (files.length === 0) {
      results.push({ source: argument, findings: [], unusedSuppressions: [], fatal: 'no files match this pattern' });
    }
    for (const source of files) results.push(await lintFile(io, source, config, fix, limits));
  }

  const warnings = results.reduce(
    (sum, result) => sum + result.findings.filter((f) => f.severity === 'warn').length,
    0,
  );
  const errors = results.reduce((sum, result) => sum + result.findings.filter((f) => f.severity === 'error').length, 0);
  const fatal = results.filter((result) => result.fatal !== undefined);
  const shown = quiet ? results.map(errorsOnly) : results;
  const color = outputFile === undefined && useColor(io, options.get('color') as boolean | undefined);
  const report =
    format === 'json'
      ? `${formatJson(shown)}\n`
      : format === 'sarif'
        ? `${formatSarif(shown, allRules())}\n`
        : formatStylish(shown, { color });

  if (outputFile !== undefined) {
    try {
      writeFileSync(resolve(io.cwd, outputFile), report);
    } catch (error) {
      io.stderr(
        `strata: ${escapeTerminalText(`${outputFile}: could not write the report (${(error as Error).message})`)}\n`,
      );
      return 2;
    }
  } else {
    io.stdout(report);
  }
  // Problems reading files go to stderr too when the report is not on the terminal.
  if (format !== 'stylish' || outputFile !== undefined) {
    for (const result of fatal) io.stderr(`strata: ${escapeTerminalText(`${result.source}: ${result.fatal}`)}\n`);
  }
  if (fatal.length > 0) return 2;
  if (errors > 0) return 1;
  if (maxWarnings >= 0 && warnings > maxWarnings) {
    io.stderr(`strata: ${warnings} warnings exceed --max-warnings ${maxWarnings}\n`);
    return 1;
  }
  return 0;
}

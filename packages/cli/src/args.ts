/**
 * A small, strict command-line option parser: unknown options are usage errors.
 *
 * @packageDocumentation
 */

/** A usage error: wrong flag, missing value, bad number. Exit code 2, no stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** One option a command accepts. */
export interface OptionSpec {
  /** Long name without dashes, e.g. `max-warnings`. */
  name: string;
  /** `boolean` flags take no value (`--no-<name>` sets false); others take one. */
  type: 'boolean' | 'string' | 'number';
  /** Values allowed for a string option. */
  choices?: readonly string[];
  /** One-letter alias, e.g. `f` for `format`. */
  alias?: string;
  /** One line for `--help`. */
  description: string;
}

/** Parsed arguments. */
export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string | number | boolean>;
}

/** Parses `argv` against `specs`; `--` ends option parsing. */
export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string | number | boolean>();
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const byAlias = new Map(specs.filter((spec) => spec.alias).map((spec) => [spec.alias!, spec]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    let name: string;
    let inlineValue: string | undefined;
    let spec: OptionSpec | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inlineValue = eq >= 0 ? arg.slice(eq + 1) : undefined;
      spec = byName.get(name);
      if (
        !spec &&
        name.startsWith('no-') &&
        byName.get(name.slice(3))?.type === 'boolean' &&
        inlineValue === undefined
      ) {
        options.set(name.slice(3), false);
        continue;
      }
    } else {
      name = arg.slice(1);
      spec = byAlias.get(name);
    }
    if (!spec) {
      const known = specs.map((s) => `--${s.name}`).join(', ');
      throw new UsageError(`unknown option ${arg}${known ? ` (options: ${known})` : ''}`);
    }
    if (spec.type === 'boolean') {
      if (inlineValue !== undefined) throw new UsageError(`option --${spec.name} takes no value`);
      options.set(spec.name, true);
      continue;
    }
    const value = inlineValue ?? argv[++i];
    if (value === undefined || (inlineValue === undefined && value.startsWith('-') && value !== '-')) {
      throw new UsageError(`option --${spec.name} needs a value`);
    }
    if (spec.choices && !spec.choices.includes(value)) {
      throw new UsageError(`option --${spec.name} must be one of ${spec.choices.join(', ')} (got ${value})`);
    }
    if (spec.type === 'number') {
      const number = Number(value);
      if (!Number.isInteger(number) || number < -1)
        throw new UsageError(`option --${spec.name} needs a whole number (got ${value})`);
      options.set(spec.name, number);
    } else {
      options.set(spec.name, value);
    }
  }
  return { positionals, options };
}

/** Renders option specs as `--help` lines. */
export function describeOptions(specs: readonly OptionSpec[]): string {
  const rows = specs.map((spec) => {
    const flag = `${spec.alias ? `-${spec.alias}, ` : '    '}--${spec.name}${spec.type === 'boolean' ? '' : spec.choices ? ` <${spec.choices.join('|')}>` : ' <value>'}`;
    return [flag, spec.description] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`).join('\n');
}

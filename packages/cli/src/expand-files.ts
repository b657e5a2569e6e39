/**
 * Expands file arguments and glob patterns (`*`, `?`, `**`, `{a,b}`) to files.
 *
 * @packageDocumentation
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** The result of expanding one argument. */
export interface ExpandedArgument {
  /** The argument as given. */
  argument: string;
  /** Matching files, as paths relative to cwd when the argument was relative. */
  files: string[];
}

const GLOB_CHARS = /[*?[{]/;
/** Directories a `**` never enters. */
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);
/** What a bare directory argument expands to. */
const MODEL_FILE_PATTERN = '**/*.{keras,h5,hdf5,json}';
/** Files a directory expansion skips: weights-only files and well-known non-model JSON. */
const NOT_MODEL_FILE = /(^|[._-])weights\.(h5|hdf5)$|^(package|package-lock|strata-lint|metadata|tsconfig.*)\.json$/;

/** Converts one glob path segment to a regular expression. */
function segmentRegExp(segment: string): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i]!;
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '{') {
      const close = segment.indexOf('}', i);
      if (close < 0) source += '\\{';
      else {
        source += `(?:${segment
          .slice(i + 1, close)
          .split(',')
          .map((part) => part.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
          .join('|')})`;
        i = close;
      }
    } else if (char === '[') {
      const close = segment.indexOf(']', i);
      if (close < 0) source += '\\[';
      else {
        source += `[${segment.slice(i + 1, close).replace(/^!/, '^')}]`;
        i = close;
      }
    } else source += char.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

function listDirectory(directory: string): { name: string; isDirectory: boolean }[] {
  try {
    return readdirSync(directory, { withFileTypes: true }).map((entry) => ({
      name: entry.name,
      isDirectory: entry.isDirectory(),
    }));
  } catch {
    return [];
  }
}

function walk(directory: string, segments: string[], out: string[]): void {
  if (segments.length === 0) return;
  const [head, ...rest] = segments as [string, ...string[]];
  if (head === '**') {
    walk(directory, rest, out);
    for (const entry of listDirectory(directory)) {
      if (entry.isDirectory && !entry.name.startsWith('.') && !SKIPPED_DIRECTORIES.has(entry.name))
        walk(join(directory, entry.name), segments, out);
    }
    return;
  }
  if (!GLOB_CHARS.test(head)) {
    const next = join(directory, head);
    if (rest.length === 0) {
      if (statSafe(next)?.isFile()) out.push(next);
    } else walk(next, rest, out);
    return;
  }
  const pattern = segmentRegExp(head);
  for (const entry of listDirectory(directory)) {
    // Like shells, `*` does not match dot-files unless the pattern starts with a dot.
    if (entry.name.startsWith('.') && !head.startsWith('.')) continue;
    if (!pattern.test(entry.name)) continue;
    if (rest.length === 0) {
      if (!entry.isDirectory) out.push(join(directory, entry.name));
    } else if (entry.isDirectory) walk(join(directory, entry.name), rest, out);
  }
}

function statSafe(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Expands each argument: a glob to its matches (sorted), a directory to the model
 * files below it (`.keras`, `.h5`, `.hdf5`, `.json`, minus `*weights.h5` and
 * `package.json`/`tsconfig*.json`/`strata-lint.json`/`metadata.json`), anything else to itself (so that a missing file is reported by
 * the reader, naming it).
 */
export function expandFileArguments(args: readonly string[], cwd: string): ExpandedArgument[] {
  return args.map((argument) => {
    const absolute = resolve(cwd, argument);
    const show = (path: string): string => (isAbsolute(argument) ? path : relative(cwd, path) || '.');
    if (!GLOB_CHARS.test(argument)) {
      if (statSafe(absolute)?.isDirectory()) {
        const files: string[] = [];
        walk(absolute, MODEL_FILE_PATTERN.split('/'), files);
        const models = files.filter((file) => !NOT_MODEL_FILE.test(basename(file)));
        return { argument, files: models.sort().map(show) };
      }
      return { argument, files: [argument] };
    }
    const normalized = absolute.split(sep).join('/');
    const firstGlob = normalized.search(GLOB_CHARS);
    const base = normalized.slice(0, normalized.lastIndexOf('/', firstGlob)) || '/';
    const segments = normalized.slice(base.length + 1).split('/');
    const files: string[] = [];
    walk(base, segments, files);
    return { argument, files: [...new Set(files)].sort().map(show) };
  });
}

/**
 * Architecture rule (issue 10): the shipped sources of `packages/core/src` make no plain `Error`;
 * they throw the typed errors of `utils/errors.ts` (`ConfigurationError`, `DataError`,
 * `InputShapeError`, `NotBuiltError`, …) so callers can catch by class. Left out: test code
 * (`*.test.ts`, `*.test-suite.ts`) and `backend/` (TF.js kernel internals, kept as TF.js writes
 * them). The few internal invariants that stay plain `Error` are listed below with the reason.
 * A failure prints `file:line: source line` for each offender.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isTestFile, listSourceFiles } from './import-graph.js';
import { checkPlainErrors, findPlainErrors, type AllowedPlainError } from './plain-errors.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CORE_SRC = join(ROOT, 'packages/core/src');

/** Plain `Error`s that may stay: broken only by a bug in Strata itself, never by a caller. */
const ALLOWED: readonly AllowedPlainError[] = [
  {
    file: 'packages/core/src/engine/functional.ts',
    contains: 'no value for the input of layer',
    reason:
      'runGraph walks nodes in the topological order checked at construction (inputs, cycles, disconnected graphs), so every input has a value',
  },
];

describe('findPlainErrors', () => {
  it('finds thrown, returned and called plain Errors, with their lines', () => {
    const source = [
      "if (x) throw new Error('a');", // 1
      'function fail(): Error {', // 2
      "  return new Error('b');", // 3
      '}', // 4
      "throw Error('c');", // 5
      'throw new Error(', // 6
      "  'd',", // 7
      ');', // 8
    ].join('\n');
    expect(findPlainErrors(source)).toEqual([
      { line: 1, text: "if (x) throw new Error('a');" },
      { line: 3, text: "return new Error('b');" },
      { line: 5, text: "throw Error('c');" },
      { line: 6, text: 'throw new Error(' },
    ]);
  });

  it('ignores typed errors, comments, strings and types', () => {
    const source = [
      "throw new DataError('x');",
      "throw new errors.Error('y');",
      '// throw new Error(`in a comment`)',
      '/** @throws Error when … new Error( */',
      "const s = 'throw new Error(';",
      'const t = `new Error(${1})`;',
      'let e: Error | undefined;',
      'if (e instanceof Error) throw e;',
    ].join('\n');
    expect(findPlainErrors(source)).toEqual([]);
  });
});

describe('checkPlainErrors', () => {
  const files = [
    { path: 'src/a.ts', text: "throw new ConfigurationError('ok');\nthrow new Error('bad option');\n" },
    { path: 'src/b.ts', text: "\n\nthrow new Error('internal: no node');\n" },
  ];

  it('reports each plain Error not on the allow-list as file:line', () => {
    const allowed: AllowedPlainError[] = [{ file: 'src/b.ts', contains: 'internal: no node', reason: 'test' }];
    expect(checkPlainErrors(files, allowed)).toEqual({
      offenders: ["src/a.ts:2: throw new Error('bad option');"],
      staleAllowances: [],
    });
  });

  it('matches allowances by file and text, and reports the ones that match nothing', () => {
    const allowed: AllowedPlainError[] = [
      { file: 'src/a.ts', contains: 'internal: no node', reason: 'wrong file' },
      { file: 'src/b.ts', contains: 'gone', reason: 'stale' },
    ];
    expect(checkPlainErrors(files, allowed)).toEqual({
      offenders: ["src/a.ts:2: throw new Error('bad option');", "src/b.ts:3: throw new Error('internal: no node');"],
      staleAllowances: ['src/a.ts: "internal: no node"', 'src/b.ts: "gone"'],
    });
  });
});

describe('the workspace', () => {
  it('core: shipped sources outside backend/ throw typed errors, not plain Error', () => {
    const files = listSourceFiles(CORE_SRC)
      .filter((f) => !isTestFile(f) && relative(CORE_SRC, f).split(sep)[0] !== 'backend')
      .map((f) => ({ path: relative(ROOT, f).split(sep).join('/'), text: readFileSync(f, 'utf8') }));
    expect(files.length).toBeGreaterThan(100);
    const report = checkPlainErrors(files, ALLOWED);
    expect(report.offenders.join('\n')).toBe('');
    expect(report.staleAllowances).toEqual([]);
  });

  it('every allow-list entry says why', () => {
    for (const entry of ALLOWED) expect(entry.reason.length).toBeGreaterThan(20);
  });
});

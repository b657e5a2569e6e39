/**
 * Style rule (issue 10): an unused parameter is named with a leading `_`, not hidden by a
 * `void x;` statement. A failure prints `file:line` for each such statement.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listSourceFiles } from './import-graph.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const VOID_STATEMENT = /^\s*void [A-Za-z_$][\w$]*;\s*$/;

/** The 1-based lines of `text` that are a bare `void identifier;` statement. */
export function voidStatementLines(text: string): number[] {
  return text.split('\n').flatMap((line, i) => (VOID_STATEMENT.test(line) ? [i + 1] : []));
}

describe('no `void x;` statements', () => {
  it('the scanner finds bare void statements and nothing else', () => {
    expect(voidStatementLines('f(a) {\n  void a;\n  return void 0;\n}\n  void  b ;')).toEqual([2]);
  });

  it('none in the sources of packages, examples, tests, docs and bench', () => {
    const offenders = ['packages', 'examples', 'tests', 'docs', 'bench'].flatMap((dir) =>
      listSourceFiles(join(ROOT, dir)).flatMap((file) =>
        voidStatementLines(readFileSync(file, 'utf8')).map((line) => `${relative(ROOT, file)}:${line}`),
      ),
    );
    expect(offenders.join('\n') || 'none').toBe('none');
  });
});

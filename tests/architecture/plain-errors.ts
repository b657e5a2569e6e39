/**
 * Finds plain `Error`s made in source code (`throw new Error(…)`, `return new Error(…)` from a
 * helper that callers throw, `throw Error(…)`), read with the TypeScript parser so comments and
 * strings that mention `new Error(` do not count. Strata's runtime throws its typed errors
 * (`ConfigurationError`, `DataError`, `InputShapeError`, …; see packages/core/src/utils/errors.ts)
 * so callers can tell a misuse from bad data with `instanceof`; a plain `Error` is left only where
 * an allow-list entry says why.
 */
import ts from 'typescript';

/** One place a plain `Error` is made. */
export interface PlainError {
  /** 1-based line of the `new Error` / `Error(` expression. */
  line: number;
  /** That source line, trimmed (for the failure message). */
  text: string;
}

/** True for `Error` itself (not `DataError`, not `errors.Error`). */
function isPlainErrorCallee(expression: ts.Expression): boolean {
  return ts.isIdentifier(expression) && expression.text === 'Error';
}

/** Every `new Error(…)` and `Error(…)` call in one source file, in source order. */
export function findPlainErrors(sourceText: string, fileName = 'source.ts'): PlainError[] {
  const file = ts.createSourceFile(fileName, sourceText, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const lines = sourceText.split(/\r?\n/);
  const found: PlainError[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && isPlainErrorCallee(node.expression)) {
      const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
      found.push({ line: line + 1, text: (lines[line] ?? '').trim() });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** A plain `Error` that may stay: an internal invariant no caller can break. */
export interface AllowedPlainError {
  /** Path of the file, as given to {@link checkPlainErrors}. */
  file: string;
  /** A piece of the line that makes the error (its message), so the entry survives line moves. */
  contains: string;
  /** Why no user action can cause it. */
  reason: string;
}

/** What {@link checkPlainErrors} found wrong. */
export interface PlainErrorReport {
  /** `file:line: text` for each plain `Error` not on the allow-list. */
  offenders: string[];
  /** Allow-list entries that match nothing any more (remove them). */
  staleAllowances: string[];
}

/** Checks source files (path and text) against the allow-list. */
export function checkPlainErrors(
  files: readonly { path: string; text: string }[],
  allowed: readonly AllowedPlainError[],
): PlainErrorReport {
  const used = new Set<AllowedPlainError>();
  const offenders: string[] = [];
  for (const { path, text } of files) {
    for (const error of findPlainErrors(text, path)) {
      const allowance = allowed.find((a) => a.file === path && error.text.includes(a.contains));
      if (allowance === undefined) offenders.push(`${path}:${error.line}: ${error.text}`);
      else used.add(allowance);
    }
  }
  const staleAllowances = allowed.filter((a) => !used.has(a)).map((a) => `${a.file}: "${a.contains}"`);
  return { offenders, staleAllowances };
}

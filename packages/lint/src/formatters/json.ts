/**
 * The `json` formatter: the lint results as JSON, fixes described but not executable.
 */
import type { LintResult } from '../types.js';

/** Serialises results as JSON (`fix` becomes `{ kind, description }`). */
export function formatJson(results: readonly LintResult[]): string {
  const plain = results.map((result) => ({
    ...result,
    findings: result.findings.map(({ fix, ...rest }) => ({
      ...rest,
      ...(fix ? { fix: { kind: fix.kind, description: fix.description } } : {}),
    })),
    suppressed: (result.suppressed ?? []).map(({ finding: { fix: _fix, ...rest }, suppression }) => ({
      finding: rest,
      suppression,
    })),
  }));
  return JSON.stringify(plain, null, 2);
}

/**
 * Applying the automatic fixes attached to findings.
 */
import type { ModelIR } from '@strata/graph';
import type { Finding } from './types.js';

/** Options of {@link applyFixes}. */
export interface ApplyFixesOptions {
  /** Also apply fixes that change what the model computes (e.g. Dropout → SpatialDropout2D). */
  unsafe: boolean;
}

/** The findings whose fixes {@link applyFixes} would apply with these options. */
export function fixableFindings(findings: readonly Finding[], options: ApplyFixesOptions): Finding[] {
  return findings.filter((f) => f.fix && (f.fix.kind === 'safe' || options.unsafe));
}

/**
 * Returns a fixed copy of `model`: applies, in finding order, every safe fix (and unsafe ones
 * when `unsafe`). Each fix re-checks its preconditions, so fixes that overlap (e.g. removing
 * a rate-0 dropout that another fix would merge) do not corrupt the graph. The input is not
 * modified.
 */
export function applyFixes(model: ModelIR, findings: readonly Finding[], options: ApplyFixesOptions): ModelIR {
  const copy = structuredClone(model);
  for (const finding of fixableFindings(findings, options)) finding.fix!.apply(copy);
  return copy;
}

/**
 * Runs one rule through the engine for the tests (not part of the public API).
 */
import type { JsonObject, ModelIR, Shape } from '@strata/graph';
import { lintModel } from '../engine.js';
import type { ActiveSeverity, Finding } from '../types.js';

/** Findings of one rule (enabled at `severity`, with `options`) on `model`. */
export function findingsOf(
  ruleId: string,
  model: ModelIR,
  options: { options?: JsonObject; shapes?: Map<string, Shape[][]>; severity?: ActiveSeverity } = {},
): Finding[] {
  const result = lintModel(model, {
    config: { extends: 'all', rules: { [ruleId]: [options.severity ?? 'warn', options.options ?? {}] } },
    ...(options.shapes ? { shapes: options.shapes } : {}),
  });
  return result.findings.filter((f) => f.ruleId === ruleId);
}

/** Names of the layers a rule reports on. */
export function flagged(ruleId: string, model: ModelIR, options: Parameters<typeof findingsOf>[2] = {}): string[] {
  return findingsOf(ruleId, model, options).map((f) => f.layer.name);
}

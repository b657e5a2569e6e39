/**
 * Presets: `recommended` (default), `strict` and `all`.
 */
import type { ActiveSeverity, PresetName, Rule, Severity } from './types.js';

/** Names of the presets, in increasing strictness. */
export const presetNames: readonly PresetName[] = ['recommended', 'strict', 'all'];

/** Severity of a rule in a preset. `all` turns on every rule at its own severity. */
export function presetSeverity(rule: Rule, preset: PresetName): Severity {
  switch (preset) {
    case 'recommended':
      return rule.recommended;
    case 'strict':
      return rule.strict;
    case 'all':
      return ruleOwnSeverity(rule);
  }
}

/** The rule's own severity from the catalogue (used by `all`). */
export function ruleOwnSeverity(rule: Rule): ActiveSeverity {
  if (rule.defaultSeverity) return rule.defaultSeverity;
  if (rule.strict !== 'off') return rule.strict;
  if (rule.recommended !== 'off') return rule.recommended;
  return 'warn';
}

/** Rank of a severity (off < info < warn < error). */
export function severityRank(severity: Severity): number {
  return { off: 0, info: 1, warn: 2, error: 3 }[severity];
}

/**
 * Renders the rule reference (`docs/rules.md`) and single-rule explanations from the registry.
 */
import { allRules } from './rules/index.js';
import { ruleOwnSeverity } from './presets.js';
import { ruleExampleCode } from './rule-examples.js';
import type { Rule } from './types.js';

/** A plain-text explanation of one rule, as `strata lint --explain <id>` prints it. */
export function explainRule(rule: Rule): string {
  const lines = [
    `${rule.id} (${rule.category}; recommended: ${rule.recommended}, strict: ${rule.strict}, all: ${ruleOwnSeverity(rule)}${rule.fixable ? `; fix: ${rule.fixable}` : ''})`,
    '',
    rule.docs.summary,
    '',
    `Why: ${rule.docs.why}`,
    '',
    `How to fix: ${rule.docs.howToFix}`,
    '',
    `Known false positives: ${rule.docs.falsePositives}`,
  ];
  const options = Object.entries(rule.defaultOptions);
  if (options.length > 0) {
    lines.push('', 'Options:');
    for (const [name, value] of options)
      lines.push(`  ${name} (default ${JSON.stringify(value)}): ${rule.docs.options?.[name] ?? ''}`);
  }
  const example = ruleExampleCode(rule.id);
  if (example !== undefined) lines.push('', 'Example:', indent(example.bad), '', 'Use instead:', indent(example.good));
  return `${lines.join('\n')}\n`;
}

/** The Markdown rule reference, one section per rule in catalogue order. */
export function renderRulesMarkdown(): string {
  const rules = allRules();
  const out = [
    '# strata lint rules',
    '',
    '<!-- Generated from the rule registry by packages/lint/scripts/write-docs.ts; do not edit. -->',
    '',
    "Each rule has an example model that triggers it and the fixed model, as Strata code (`import { Input, Model, Sequential, layers } from '@strata/core'`;",
    '`DropBlock2D` and `StochasticDepth` come from `@strata/dropout`). Tests lint both: the example triggers the rule, the fix does not.',
    '',
    '| rule | category | recommended | strict | all | fix |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rules.map(
      (r) =>
        `| [${r.id}](#${r.id}) | ${r.category} | ${r.recommended} | ${r.strict} | ${ruleOwnSeverity(r)} | ${r.fixable ?? ''} |`,
    ),
  ];
  for (const r of rules) {
    out.push(
      '',
      `## ${r.id}`,
      '',
      r.docs.summary,
      '',
      `**Why.** ${r.docs.why}`,
      '',
      `**How to fix.** ${r.docs.howToFix}`,
      '',
    );
    out.push(`**Known false positives.** ${r.docs.falsePositives}`);
    const options = Object.entries(r.defaultOptions);
    if (options.length > 0) {
      out.push('', '**Options.**', '');
      for (const [name, value] of options)
        out.push(`- \`${name}\` (default \`${JSON.stringify(value)}\`): ${r.docs.options?.[name] ?? ''}`);
    }
    const example = ruleExampleCode(r.id);
    if (example !== undefined) {
      out.push(
        '',
        '**Example.**',
        '',
        '```ts',
        example.bad,
        '```',
        '',
        '**Use instead.**',
        '',
        '```ts',
        example.good,
        '```',
      );
    }
  }
  return `${out.join('\n')}\n`;
}

/** Indents every line by two spaces (code in plain-text explanations). */
function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

/**
 * `strata rules` and `strata explain <rule>`.
 *
 * @packageDocumentation
 */
import { allRules, editDistance, getRule, ruleExampleCode, type Rule } from '@strata/lint';
import { parseArgs, UsageError, type OptionSpec } from '../args.js';
import type { CliIo } from '../io.js';

/** Options of `strata rules`. */
export const RULES_OPTIONS: readonly OptionSpec[] = [
  { name: 'json', type: 'boolean', description: 'print the rules as JSON' },
  { name: 'help', alias: 'h', type: 'boolean', description: 'show this help' },
];

/** Options of `strata explain`. */
export const EXPLAIN_OPTIONS: readonly OptionSpec[] = [
  { name: 'help', alias: 'h', type: 'boolean', description: 'show this help' },
];

/** Renders rows as a plain aligned table with a header rule. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

/** Runs `strata rules`: one row per rule with its category and preset severities. */
export function runRules(argv: readonly string[], io: CliIo, help: (command: string) => void): number {
  const { positionals, options } = parseArgs(argv, RULES_OPTIONS);
  if (options.get('help') === true) {
    help('rules');
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`strata rules takes no arguments (got ${positionals.join(' ')})`);
  const rules = [...allRules()].sort((a, b) => a.category.localeCompare(b.category) || a.id.localeCompare(b.id));
  if (options.get('json') === true) {
    const plain = rules.map((rule) => ({
      id: rule.id,
      category: rule.category,
      recommended: rule.recommended,
      strict: rule.strict,
      fixable: rule.fixable ?? null,
      summary: rule.docs.summary,
    }));
    io.stdout(`${JSON.stringify(plain, null, 2)}\n`);
    return 0;
  }
  const rows = rules.map((rule) => [
    rule.id,
    rule.category,
    rule.recommended,
    rule.strict,
    rule.fixable ?? '',
    rule.docs.summary,
  ]);
  io.stdout(
    `${renderTable(['id', 'category', 'recommended', 'strict', 'fix', 'summary'], rows)}\n\n${rules.length} rules. Details: strata explain <rule>\n`,
  );
  return 0;
}

/** Rule ids close to `id`, for "did you mean". */
export function similarRuleIds(id: string, rules: readonly Rule[]): string[] {
  return rules
    .map((rule) => ({
      id: rule.id,
      score: rule.id.includes(id) || id.includes(rule.id) ? 0 : editDistance(id, rule.id),
    }))
    .filter((entry) => entry.score <= Math.max(3, Math.floor(id.length / 3)))
    .sort((a, b) => a.score - b.score)
    .slice(0, 3)
    .map((entry) => entry.id);
}

/** Runs `strata explain <rule>`: the rule's documentation. */
export function runExplain(argv: readonly string[], io: CliIo, help: (command: string) => void): number {
  const { positionals, options } = parseArgs(argv, EXPLAIN_OPTIONS);
  if (options.get('help') === true) {
    help('explain');
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('strata explain takes exactly one rule id (see strata rules)');
  const id = positionals[0]!;
  const rule = getRule(id);
  if (!rule) {
    const similar = similarRuleIds(id, allRules());
    throw new UsageError(
      `unknown rule ${id}${similar.length > 0 ? `; did you mean ${similar.join(', ')}?` : ''} (see strata rules)`,
    );
  }
  const sections: [string, string | undefined][] = [
    ['Why', rule.docs.why],
    ['How to fix', rule.docs.howToFix],
    ['Known false positives', rule.docs.falsePositives],
  ];
  const lines = [
    `${rule.id} — ${rule.docs.summary}`,
    '',
    `category: ${rule.category}   recommended: ${rule.recommended}   strict: ${rule.strict}${rule.fixable ? `   fix: ${rule.fixable}` : ''}`,
  ];
  for (const [title, text] of sections) if (text) lines.push('', `${title}:`, indent(text));
  const optionDocs = rule.docs.options ?? {};
  if (Object.keys(optionDocs).length > 0) {
    lines.push('', 'Options:');
    for (const [name, text] of Object.entries(optionDocs)) {
      lines.push(`  ${name} (default: ${JSON.stringify(rule.defaultOptions[name] ?? null)}): ${text}`);
    }
  }
  const example = ruleExampleCode(rule.id);
  if (example !== undefined) lines.push('', 'Example:', indent(example.bad), '', 'Use instead:', indent(example.good));
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

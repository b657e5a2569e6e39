/**
 * The `stylish` formatter (the default): findings grouped by file, ESLint-like.
 */
import { escapeTerminalText as shown } from '@strata/graph';
import type { Finding, LintResult } from '../types.js';

/** Options of {@link formatStylish}. */
export interface StylishOptions {
  /** Use ANSI colours. */
  color: boolean;
}

const CODES = { red: 31, yellow: 33, blue: 34, gray: 90, bold: 1, underline: 4 } as const;

function pluralize(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function layerLabel(finding: Finding): string {
  const name = [...finding.layer.path, finding.layer.name].join('/');
  return shown(`${name} (${finding.layer.className})`);
}

/**
 * Formats results for a terminal: per file a header, then one line per finding with layer
 * name and class, severity, message and rule id, and an indented fix hint; unused suppressions
 * after the findings; a summary line `✖ N problems (E errors, W warnings)` at the end.
 * Returns an empty string when there is nothing to report. Text from model files (names,
 * sources, messages quoting them) is printed with terminal control characters escaped, so a
 * file cannot clear the screen or rewrite the summary line.
 */
export function formatStylish(results: readonly LintResult[], options: StylishOptions): string {
  const paint = (text: string, ...styles: (keyof typeof CODES)[]): string =>
    options.color ? styles.reduce((t, s) => `\u001b[${CODES[s]}m${t}\u001b[0m`, text) : text;
  const lines: string[] = [];
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  let fixable = 0;
  let unused = 0;
  for (const result of results) {
    const hasContent = result.findings.length > 0 || result.unusedSuppressions.length > 0 || result.fatal;
    if (!hasContent) continue;
    lines.push(paint(shown(result.source), 'underline'));
    if (result.fatal) {
      errors++;
      lines.push(`  ${paint('error', 'red')}  ${shown(result.fatal)}`);
    }
    const width = Math.max(0, ...result.findings.map((f) => layerLabel(f).length));
    for (const finding of result.findings) {
      if (finding.severity === 'error') errors++;
      else if (finding.severity === 'warn') warnings++;
      else infos++;
      if (finding.fix) fixable++;
      const severity =
        finding.severity === 'error'
          ? paint('error', 'red')
          : finding.severity === 'warn'
            ? paint('warn ', 'yellow')
            : paint('info ', 'blue');
      lines.push(
        `  ${layerLabel(finding).padEnd(width)}  ${severity}  ${shown(finding.message)}  ${paint(finding.ruleId, 'gray')}`,
      );
      if (finding.hint) lines.push(`  ${' '.repeat(width)}  ${paint(`↳ ${shown(finding.hint)}`, 'gray')}`);
    }
    for (const s of result.unusedSuppressions) {
      unused++;
      lines.push(
        `  ${paint('unused suppression', 'yellow')}  ${shown(`${s.rule} on layer '${s.layer}' matched nothing ("${s.reason}")`)}`,
      );
    }
    lines.push('');
  }
  const problems = errors + warnings + infos;
  if (problems === 0 && unused === 0) return '';
  const counts = [pluralize(errors, 'error'), pluralize(warnings, 'warning')];
  if (infos > 0) counts.push(pluralize(infos, 'info'));
  const summary = `✖ ${pluralize(problems, 'problem')} (${counts.join(', ')})`;
  lines.push(paint(summary, 'bold', errors > 0 ? 'red' : 'yellow'));
  if (unused > 0) lines.push(`  ${pluralize(unused, 'unused suppression')}`);
  if (fixable > 0)
    lines.push(`  ${pluralize(fixable, 'problem')} with an automatic fix (--fix, or --fix-unsafe for unsafe ones).`);
  return `${lines.join('\n')}\n`;
}

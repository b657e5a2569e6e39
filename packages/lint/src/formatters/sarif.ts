/**
 * The `sarif` formatter: SARIF 2.1.0 for code-scanning tools, rule docs as help text.
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { JsonObject, JsonValue } from '@strata/graph';
import type { ActiveSeverity, Finding, LintResult, Rule } from '../types.js';
import { ruleOwnSeverity } from '../presets.js';

const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const TOOL_NAME = 'strata-lint';
const TOOL_VERSION = '0.1.0';

/** SARIF `level` for a severity. */
function level(severity: ActiveSeverity): 'error' | 'warning' | 'note' {
  return severity === 'error' ? 'error' : severity === 'warn' ? 'warning' : 'note';
}

/** A SARIF artifact URI: relative paths as URI references with `/`, absolute ones as file URLs. */
function artifactUri(source: string): string {
  if (isAbsolute(source)) return pathToFileURL(source).href;
  return source.split(/[\\/]/).map(encodeURIComponent).join('/');
}

function helpText(rule: Rule): { text: string; markdown: string } {
  const d = rule.docs;
  const options = d.options
    ? Object.entries(d.options).map(
        ([name, text]) => `- ${name} (default ${JSON.stringify(rule.defaultOptions[name])}): ${text}`,
      )
    : [];
  const text = [
    d.summary,
    '',
    `Why: ${d.why}`,
    '',
    `How to fix: ${d.howToFix}`,
    '',
    `Known false positives: ${d.falsePositives}`,
    ...(options.length ? ['', 'Options:', ...options] : []),
  ].join('\n');
  const markdown = [
    `**${rule.id}** — ${d.summary}`,
    '',
    `**Why.** ${d.why}`,
    '',
    `**How to fix.** ${d.howToFix}`,
    '',
    `**Known false positives.** ${d.falsePositives}`,
    ...(options.length ? ['', '**Options.**', ...options] : []),
  ].join('\n');
  return { text, markdown };
}

function ruleDescriptor(rule: Rule): JsonObject {
  return {
    id: rule.id,
    name: rule.id
      .split('-')
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(''),
    shortDescription: { text: rule.docs.summary },
    fullDescription: { text: `${rule.docs.summary} ${rule.docs.why}` },
    help: helpText(rule),
    defaultConfiguration: { level: level(ruleOwnSeverity(rule)), enabled: rule.recommended !== 'off' },
    properties: { category: rule.category, tags: [rule.category], recommended: rule.recommended, strict: rule.strict },
  };
}

function sarifResult(
  finding: Finding,
  source: string,
  ruleIndex: Map<string, number>,
  suppression?: { reason: string },
): JsonObject {
  const modelPath = [...finding.layer.path, finding.layer.name];
  const result: JsonObject = {
    ruleId: finding.ruleId,
    level: level(finding.severity),
    message: { text: finding.hint ? `${finding.message} ${finding.hint}` : finding.message },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: artifactUri(finding.file ?? source) } },
        logicalLocations: [
          {
            name: finding.layer.name,
            fullyQualifiedName: modelPath.join('/'),
            kind: 'object',
          },
        ],
      },
    ],
    properties: { layerClass: finding.layer.className },
  };
  const index = ruleIndex.get(finding.ruleId);
  if (index !== undefined) result['ruleIndex'] = index;
  if (finding.fix)
    (result['properties'] as JsonObject)['fix'] = { kind: finding.fix.kind, description: finding.fix.description };
  if (suppression) result['suppressions'] = [{ kind: 'external', justification: suppression.reason }];
  return result;
}

/**
 * Builds a SARIF 2.1.0 log object: one run, `tool.driver.rules` from `rules` (id, descriptions,
 * help text and markdown from the rule docs, default level), one result per finding with the
 * model file as artifact location and the layer as logical location. Suppressed findings are
 * included with an external suppression carrying the reason; fatal read errors become
 * tool execution notifications.
 */
export function buildSarifLog(results: readonly LintResult[], rules: readonly Rule[]): JsonObject {
  const ruleIndex = new Map(rules.map((rule, i) => [rule.id, i]));
  const sarifResults: JsonValue[] = [];
  const notifications: JsonValue[] = [];
  const artifacts: string[] = [];
  for (const result of results) {
    if (!artifacts.includes(result.source)) artifacts.push(result.source);
    for (const finding of result.findings) sarifResults.push(sarifResult(finding, result.source, ruleIndex));
    for (const { finding, suppression } of result.suppressed ?? []) {
      sarifResults.push(sarifResult(finding, result.source, ruleIndex, suppression));
    }
    if (result.fatal) {
      notifications.push({
        level: 'error',
        message: { text: result.fatal },
        locations: [{ physicalLocation: { artifactLocation: { uri: artifactUri(result.source) } } }],
      });
    }
  }
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: TOOL_VERSION,
            rules: rules.map(ruleDescriptor),
          },
        },
        invocations: [
          {
            executionSuccessful: notifications.length === 0,
            ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        artifacts: artifacts.map((source) => ({ location: { uri: artifactUri(source) } })),
        results: sarifResults,
      },
    ],
  };
}

/** Formats results as a SARIF 2.1.0 JSON document. */
export function formatSarif(results: readonly LintResult[], rules: readonly Rule[]): string {
  return JSON.stringify(buildSarifLog(results, rules), null, 2);
}

/**
 * Loading and validating `strata-lint.json`.
 */
import { readFileSync } from 'node:fs';
import type { JsonObject } from '@strata/graph';
import { presetNames } from './presets.js';
import { getRule, ruleIds } from './rules/index.js';
import type { LintConfig, LintOverride, PresetName, RuleSetting, Severity, Suppression } from './types.js';
import { editDistance } from '@strata/graph';

/** A problem in a lint config: names the file, the key and, where it helps, the valid choices. */
export class LintConfigError extends Error {
  /** The config file (or `<config>` for an in-memory config). */
  readonly file: string;
  /** Path of the offending key, e.g. `rules.dropout-rate-high[1].max` or `suppressions[0].reason`. */
  readonly key: string;
  /** The values that would have been accepted, when there is a closed set. */
  readonly choices: readonly string[] | undefined;

  constructor(file: string, key: string, problem: string, choices?: readonly string[]) {
    super(`${file}: ${key || '(top level)'}: ${problem}${choices ? `. Valid choices: ${choices.join(', ')}` : ''}`);
    this.name = 'LintConfigError';
    this.file = file;
    this.key = key;
    this.choices = choices;
  }
}

const TOP_LEVEL_KEYS = ['$schema', 'extends', 'rules', 'overrides', 'suppressions'];
const SEVERITIES: readonly Severity[] = ['off', 'info', 'warn', 'error'];
/** ESLint-style numeric aliases. */
const NUMERIC_SEVERITY: Record<number, Severity> = { 0: 'off', 1: 'warn', 2: 'error' };

/**
 * Reads and validates a config file.
 *
 * @throws LintConfigError when the file cannot be read, is not JSON or is invalid.
 */
export function loadLintConfig(path: string): LintConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new LintConfigError(path, '', `cannot read the config file (${(error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new LintConfigError(path, '', `not valid JSON (${(error as Error).message})`);
  }
  return parseLintConfig(json, path);
}

/**
 * Validates a parsed config and returns it normalised (numeric severities become names).
 *
 * @param json - The parsed JSON.
 * @param source - File name used in error messages.
 * @throws LintConfigError naming the file, the key and the valid choices.
 */
export function parseLintConfig(json: unknown, source: string): LintConfig {
  const fail = (key: string, problem: string, choices?: readonly string[]): never => {
    throw new LintConfigError(source, key, problem, choices);
  };
  if (!isObject(json)) fail('', `expected a JSON object, got ${describeValue(json)}`);
  const raw = json as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!TOP_LEVEL_KEYS.includes(key)) fail(key, 'unknown key', TOP_LEVEL_KEYS);
  }
  const config: LintConfig = {};
  if (raw['$schema'] !== undefined) {
    if (typeof raw['$schema'] !== 'string') fail('$schema', 'expected a string');
    config.$schema = raw['$schema'] as string;
  }
  if (raw['extends'] !== undefined) {
    if (!presetNames.includes(raw['extends'] as PresetName)) {
      fail('extends', `unknown preset ${JSON.stringify(raw['extends'])}`, presetNames);
    }
    config.extends = raw['extends'] as PresetName;
  }
  if (raw['rules'] !== undefined) config.rules = parseRules(raw['rules'], 'rules', fail);
  if (raw['overrides'] !== undefined) {
    if (!Array.isArray(raw['overrides'])) fail('overrides', 'expected an array of override objects');
    config.overrides = (raw['overrides'] as unknown[]).map((o, i) => parseOverride(o, `overrides[${i}]`, fail));
  }
  if (raw['suppressions'] !== undefined) {
    if (!Array.isArray(raw['suppressions'])) fail('suppressions', 'expected an array of suppression objects');
    config.suppressions = (raw['suppressions'] as unknown[]).map((s, i) =>
      parseSuppression(s, `suppressions[${i}]`, fail),
    );
  }
  return config;
}

type Fail = (key: string, problem: string, choices?: readonly string[]) => never;

function parseRules(value: unknown, key: string, fail: Fail): Record<string, RuleSetting> {
  if (!isObject(value)) return fail(key, `expected an object of rule settings, got ${describeValue(value)}`);
  const rules: Record<string, RuleSetting> = {};
  for (const [id, setting] of Object.entries(value as Record<string, unknown>)) {
    rules[id] = parseRuleSetting(id, setting, `${key}.${id}`, fail);
  }
  return rules;
}

function parseRuleSetting(id: string, value: unknown, key: string, fail: Fail): RuleSetting {
  const rule = getRule(id);
  if (!rule) {
    const close = ruleIds().filter((candidate) => similar(candidate, id));
    return fail(key, `unknown rule "${id}"${close.length ? ` (did you mean ${close.join(' or ')}?)` : ''}`, ruleIds());
  }
  const severity = (v: unknown, k: string): Severity => {
    if (typeof v === 'number' && NUMERIC_SEVERITY[v]) return NUMERIC_SEVERITY[v]!;
    if (SEVERITIES.includes(v as Severity)) return v as Severity;
    return fail(k, `invalid severity ${JSON.stringify(v)}`, [...SEVERITIES, '0', '1', '2']);
  };
  if (!Array.isArray(value)) return severity(value, key);
  if (value.length < 1 || value.length > 2) return fail(key, 'expected "severity" or ["severity", { options }]');
  const level = severity(value[0], `${key}[0]`);
  if (value.length === 1) return [level];
  const options = value[1];
  if (!isObject(options)) return fail(`${key}[1]`, `expected an options object, got ${describeValue(options)}`);
  const validKeys = Object.keys(rule.defaultOptions);
  for (const [name, optionValue] of Object.entries(options as Record<string, unknown>)) {
    if (!validKeys.includes(name)) {
      fail(
        `${key}[1].${name}`,
        `unknown option for rule ${id}`,
        validKeys.length ? validKeys : ['(this rule has no options)'],
      );
    }
    const expected = jsonType(rule.defaultOptions[name]);
    if (jsonType(optionValue) !== expected) {
      fail(`${key}[1].${name}`, `expected ${expected}, got ${describeValue(optionValue)}`);
    }
  }
  return [level, options as JsonObject];
}

function parseOverride(value: unknown, key: string, fail: Fail): LintOverride {
  if (!isObject(value)) return fail(key, `expected an object, got ${describeValue(value)}`);
  const raw = value as Record<string, unknown>;
  const allowed = ['layers', 'classes', 'models', 'rules'];
  for (const k of Object.keys(raw)) if (!allowed.includes(k)) fail(`${key}.${k}`, 'unknown key', allowed);
  if (raw['rules'] === undefined) fail(`${key}.rules`, 'missing: an override must set rules');
  const override: LintOverride = { rules: parseRules(raw['rules'], `${key}.rules`, fail) };
  for (const list of ['layers', 'classes', 'models'] as const) {
    const globs = raw[list];
    if (globs === undefined) continue;
    if (!Array.isArray(globs) || !globs.every((g) => typeof g === 'string' && g.length > 0)) {
      fail(`${key}.${list}`, 'expected an array of non-empty glob strings');
    }
    override[list] = globs as string[];
  }
  return override;
}

function parseSuppression(value: unknown, key: string, fail: Fail): Suppression {
  if (!isObject(value)) return fail(key, `expected an object, got ${describeValue(value)}`);
  const raw = value as Record<string, unknown>;
  const allowed = ['rule', 'layer', 'model', 'reason'];
  for (const k of Object.keys(raw)) if (!allowed.includes(k)) fail(`${key}.${k}`, 'unknown key', allowed);
  if (typeof raw['rule'] !== 'string') return fail(`${key}.rule`, 'missing: the rule id to suppress', ruleIds());
  if (!getRule(raw['rule'])) return fail(`${key}.rule`, `unknown rule "${raw['rule']}"`, ruleIds());
  if (typeof raw['layer'] !== 'string' || raw['layer'] === '') {
    return fail(`${key}.layer`, 'missing: the layer name (or glob) to suppress the rule on');
  }
  if (raw['model'] !== undefined && (typeof raw['model'] !== 'string' || raw['model'] === '')) {
    return fail(`${key}.model`, 'expected a model file or model-name glob');
  }
  if (typeof raw['reason'] !== 'string' || raw['reason'].trim() === '') {
    return fail(`${key}.reason`, 'missing: every suppression needs a reason saying why the finding is accepted');
  }
  return {
    rule: raw['rule'],
    layer: raw['layer'],
    ...(raw['model'] !== undefined ? { model: raw['model'] as string } : {}),
    reason: raw['reason'],
  };
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value;
}

function describeValue(value: unknown): string {
  return `${jsonType(value)} ${JSON.stringify(value)}`;
}

/** Cheap "did you mean": same words in another order, or one is a prefix of the other. */
function similar(candidate: string, typed: string): boolean {
  const a = candidate.split('-').sort().join('-');
  const b = typed.split('-').sort().join('-');
  return a === b || candidate.startsWith(typed) || typed.startsWith(candidate) || editDistance(candidate, typed) <= 2;
}

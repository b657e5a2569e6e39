import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { LintConfigError, loadLintConfig, parseLintConfig } from './config.js';
import { lintConfigSchema } from './schema.js';

function errorOf(fn: () => unknown): LintConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof LintConfigError) return error;
    throw error;
  }
  throw new Error('expected a LintConfigError');
}

const VALID = {
  $schema: './node_modules/@strata/lint/schema/strata-lint.schema.json',
  extends: 'strict',
  rules: { 'dropout-rate-high': ['error', { max: 0.4 }], 'no-trailing-dropout': 1, 'dropout-rate-zero': 'off' },
  overrides: [
    {
      layers: ['block[34]_*'],
      classes: ['Dropout'],
      models: ['**/*.keras'],
      rules: { 'no-dropout-on-conv-feature-maps': 'off' },
    },
  ],
  suppressions: [
    { rule: 'no-dropout-before-batchnorm', layer: 'dropout_3', model: 'wrn.keras', reason: 'WRN-style wide block' },
  ],
};

describe('parseLintConfig', () => {
  it('accepts a full config and normalises numeric severities', () => {
    const config = parseLintConfig(VALID, 'strata-lint.json');
    expect(config.rules?.['no-trailing-dropout']).toBe('warn');
    expect(config.rules?.['dropout-rate-high']).toEqual(['error', { max: 0.4 }]);
    expect(config.overrides?.[0]?.layers).toEqual(['block[34]_*']);
  });

  it('names the file, the key and the valid choices', () => {
    const unknownKey = errorOf(() => parseLintConfig({ rule: {} }, 'cfg.json'));
    expect(unknownKey.message).toBe(
      'cfg.json: rule: unknown key. Valid choices: $schema, extends, rules, overrides, suppressions',
    );
    expect(unknownKey.file).toBe('cfg.json');
    expect(unknownKey.key).toBe('rule');
    const preset = errorOf(() => parseLintConfig({ extends: 'recomended' }, 'cfg.json'));
    expect(preset.message).toBe(
      'cfg.json: extends: unknown preset "recomended". Valid choices: recommended, strict, all',
    );
    const severity = errorOf(() => parseLintConfig({ rules: { 'dropout-rate-zero': 'warning' } }, 'cfg.json'));
    expect(severity.key).toBe('rules.dropout-rate-zero');
    expect(severity.choices).toEqual(['off', 'info', 'warn', 'error', '0', '1', '2']);
  });

  it('rejects unknown rules with a suggestion', () => {
    const error = errorOf(() => parseLintConfig({ rules: { 'no-dropout-before-batchnorms': 'warn' } }, 'cfg.json'));
    expect(error.message).toContain(
      'unknown rule "no-dropout-before-batchnorms" (did you mean no-dropout-before-batchnorm?)',
    );
    expect(error.choices).toContain('dropout-rate-high');
  });

  it('treats names that every object inherits as unknown (rules, presets, options, suppressions)', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(() => parseLintConfig(JSON.parse(`{"rules": {"${name}": "error"}}`), 'c.json')).toThrow(
        new RegExp(`unknown rule "${name}"`),
      );
      expect(() => parseLintConfig({ extends: name }, 'c.json')).toThrow(/unknown preset/);
      expect(() =>
        parseLintConfig({ rules: { 'dropout-rate-high': ['warn', JSON.parse(`{"${name}": 1}`)] } }, 'c.json'),
      ).toThrow(/unknown option/);
      expect(() => parseLintConfig({ suppressions: [{ rule: name, layer: 'x', reason: 'r' }] }, 'c.json')).toThrow(
        /unknown rule/,
      );
    }
  });

  it('validates option names and types', () => {
    const name = errorOf(() =>
      parseLintConfig({ rules: { 'dropout-rate-high': ['warn', { maximum: 0.4 }] } }, 'cfg.json'),
    );
    expect(name.key).toBe('rules.dropout-rate-high[1].maximum');
    expect(name.choices).toEqual(['max', 'warnAt']);
    const type = errorOf(() =>
      parseLintConfig({ rules: { 'dropout-rate-high': ['warn', { max: '0.4' }] } }, 'cfg.json'),
    );
    expect(type.message).toContain('expected number, got string "0.4"');
  });

  it('requires a reason on every suppression', () => {
    const missing = errorOf(() =>
      parseLintConfig({ suppressions: [{ rule: 'dropout-rate-zero', layer: 'd' }] }, 'cfg.json'),
    );
    expect(missing.key).toBe('suppressions[0].reason');
    expect(missing.message).toContain('every suppression needs a reason');
    const blank = errorOf(() =>
      parseLintConfig({ suppressions: [{ rule: 'dropout-rate-zero', layer: 'd', reason: '  ' }] }, 'cfg.json'),
    );
    expect(blank.key).toBe('suppressions[0].reason');
    const rule = errorOf(() =>
      parseLintConfig({ suppressions: [{ rule: 'nope', layer: 'd', reason: 'x' }] }, 'cfg.json'),
    );
    expect(rule.key).toBe('suppressions[0].rule');
  });

  it('checks override shape', () => {
    expect(errorOf(() => parseLintConfig({ overrides: [{ layers: ['a'] }] }, 'c.json')).key).toBe('overrides[0].rules');
    expect(errorOf(() => parseLintConfig({ overrides: [{ layers: 'a', rules: {} }] }, 'c.json')).key).toBe(
      'overrides[0].layers',
    );
  });
});

describe('loadLintConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-lint-'));
  it('reads a file', () => {
    const path = join(dir, 'ok.json');
    writeFileSync(path, JSON.stringify(VALID));
    expect(loadLintConfig(path).extends).toBe('strict');
  });
  it('reports unreadable files and bad JSON with the file name', () => {
    expect(errorOf(() => loadLintConfig(join(dir, 'missing.json'))).message).toContain(
      'missing.json: (top level): cannot read',
    );
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "rules": ');
    expect(errorOf(() => loadLintConfig(bad)).message).toContain('bad.json: (top level): not valid JSON');
  });
});

describe('strata-lint.schema.json', () => {
  const file = fileURLToPath(new URL('../schema/strata-lint.schema.json', import.meta.url));
  it('is the generated schema (regenerate with packages/lint/scripts/write-docs.ts)', () => {
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(lintConfigSchema());
  });
  it('accepts a valid config and rejects what parseLintConfig rejects', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(file, 'utf8')));
    expect(validate(VALID)).toBe(true);
    expect(validate({ rules: { 'no-such-rule': 'warn' } })).toBe(false);
    expect(validate({ suppressions: [{ rule: 'dropout-rate-zero', layer: 'd' }] })).toBe(false);
    expect(validate({ rules: { 'dropout-rate-high': ['warn', { maximum: 1 }] } })).toBe(false);
  });
});

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Ajv04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { lintModel } from '../engine.js';
import { allRules } from '../rules/index.js';
import { dense, dropout, input, L, sequential } from '../testing/models.js';
import type { LintResult } from '../types.js';

// CommonJS packages: under NodeNext the default import is `module.exports`, whose `.default` is the export.
const Ajv04 = Ajv04Module.default;
const addFormats = addFormatsModule.default;
import { formatJson } from './json.js';
import { buildSarifLog, formatSarif } from './sarif.js';
import { formatStylish } from './stylish.js';

function results(): LintResult[] {
  const model = sequential('mlp', [
    input('in', [null, 4]),
    dense('d1'),
    dropout('drop_1', 0.2),
    L('BatchNormalization', 'bn'),
    dropout('zero', 0),
    dense('out', { activation: 'softmax' }),
    dropout('after', 0.5),
  ]);
  const linted = lintModel(model, {
    source: 'models/my mlp.json',
    config: {
      suppressions: [
        { rule: 'no-trailing-dropout', layer: 'nothing', reason: 'stale entry' },
        { rule: 'dropout-rate-zero', layer: 'zero', reason: 'sweep placeholder' },
      ],
    },
  });
  const clean = lintModel(sequential('clean', [input('in', [null, 4]), dense('o')]), { source: 'clean.json' });
  return [
    linted,
    clean,
    { source: 'broken.h5', findings: [], unusedSuppressions: [], fatal: 'not a Keras model file' },
  ];
}

describe('formatStylish', () => {
  it('groups by file and prints layer name and class, severity, message, rule id, hint and a summary', () => {
    const text = formatStylish(results(), { color: false });
    const lines = text.split('\n');
    expect(lines[0]).toBe('models/my mlp.json');
    expect(text).toMatch(
      / {2}drop_1 \(Dropout\) +warn +'drop_1' \(Dropout\) feeds 'bn' \(BatchNormalization\).* {2}no-dropout-before-batchnorm/,
    );
    expect(text).toMatch(/ {2}after \(Dropout\) +error {2}.*no-dropout-after-probabilities/);
    expect(text).toContain("↳ Move 'drop_1' after 'bn'");
    expect(text).toContain(
      'unused suppression  no-trailing-dropout on layer \'nothing\' matched nothing ("stale entry")',
    );
    expect(text).not.toContain('clean.json');
    expect(text).toContain('broken.h5\n  error  not a Keras model file');
    expect(text).toContain('✖ 3 problems (2 errors, 1 warning)');
    expect(text).not.toContain('\u001b[');
  });

  it('colours only when asked, and prints nothing for clean results', () => {
    expect(formatStylish(results(), { color: true })).toContain('\u001b[31merror\u001b[0m');
    expect(formatStylish([results()[1]!], { color: false })).toBe('');
  });
});

describe('formatJson', () => {
  it('round-trips results with fixes described, not executable', () => {
    const parsed = JSON.parse(formatJson(results())) as {
      findings: { ruleId: string; fix?: unknown }[];
      suppressed: unknown[];
    }[];
    expect(parsed[0]!.findings.map((f) => f.ruleId)).toEqual([
      'no-dropout-before-batchnorm',
      'no-dropout-after-probabilities',
    ]);
    expect(parsed[0]!.suppressed).toHaveLength(1);
    const zeroFix = JSON.parse(
      formatJson([lintModel(sequential('m', [input('in', [null, 2]), dropout('z', 0), dense('o')]))]),
    )[0].findings[0].fix;
    expect(zeroFix).toEqual({
      kind: 'safe',
      description: "remove 'z' (rate 0) and connect its consumers to its input",
    });
  });
});

describe('formatSarif', () => {
  const require = createRequire(import.meta.url);
  const schemaPath = join(dirname(require.resolve('@microsoft/jest-sarif')), 'schemas', 'sarif-2.1.0-rtm.5.json');

  it('validates against the official SARIF 2.1.0 schema (from @microsoft/jest-sarif)', () => {
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
    // The published rtm.5 schema has a language-tag pattern that is invalid under the `u` flag.
    const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const log = JSON.parse(formatSarif(results(), allRules()));
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // The validator is live: a broken log fails.
    expect(validate({ ...log, version: '2.0.0' })).toBe(false);
    expect(validate({ ...log, runs: [{ ...log.runs[0], results: [{ level: 'warning' }] }] })).toBe(false);
  });

  it('describes rules with their docs and results with file and layer locations', () => {
    const log = buildSarifLog(results(), allRules()) as any;
    const run = log.runs[0];
    expect(log.version).toBe('2.1.0');
    const rule = run.tool.driver.rules.find((r: { id: string }) => r.id === 'no-dropout-before-batchnorm');
    expect(rule.shortDescription.text).toContain('BatchNormalization');
    expect(rule.help.text).toContain('Li, Chen, Hu, Yang');
    expect(rule.help.markdown).toContain('**How to fix.**');
    expect(rule.defaultConfiguration.level).toBe('warning');
    const result = run.results[0];
    expect(result).toMatchObject({ ruleId: 'no-dropout-before-batchnorm', level: 'warning' });
    expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('models/my%20mlp.json');
    expect(result.locations[0].logicalLocations[0]).toMatchObject({ name: 'drop_1', fullyQualifiedName: 'drop_1' });
    const suppressed = run.results.find((r: { suppressions?: unknown }) => r.suppressions);
    expect(suppressed.suppressions).toEqual([{ kind: 'external', justification: 'sweep placeholder' }]);
    expect(run.invocations[0].executionSuccessful).toBe(false);
    expect(run.invocations[0].toolExecutionNotifications[0].message.text).toBe('not a Keras model file');
  });
});

import { describe, expect, it } from 'vitest';
import * as lint from './index.js';

describe('rule registry and presets', () => {
  it('every rule has an id, category, docs with a citation-bearing why, and a test beside it', async () => {
    const { readdirSync } = await import('node:fs');
    const { fileURLToPath } = await import('node:url');
    const testFiles = readdirSync(fileURLToPath(new URL('./rules/', import.meta.url)));
    const rules = lint.allRules();
    expect(rules.length).toBeGreaterThanOrEqual(26);
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    for (const rule of rules) {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      for (const key of ['summary', 'why', 'howToFix', 'falsePositives'] as const)
        expect(rule.docs[key].length).toBeGreaterThan(10);
      expect(Object.keys(rule.docs.options ?? {}).sort()).toEqual(Object.keys(rule.defaultOptions).sort());
      expect(testFiles).toContain(`${rule.id}.test.ts`);
      expect(lint.getRule(rule.id)).toBe(rule);
    }
    expect(lint.getRule('nope')).toBeUndefined();
  });

  it('recommended contains the catalogue R set; strict-only and off rules are off there', () => {
    const rec = lint.presets.recommended.rules;
    expect(rec['no-dropout-on-conv-feature-maps']).toBe('warn');
    expect(rec['no-dropout-after-probabilities']).toBe('error');
    expect(rec['dropout-rate-zero']).toBe('info');
    expect(rec['deep-saturating-chain']).toBe('warn');
    expect(rec['redundant-bias-before-batchnorm']).toBe('off');
    expect(lint.presets.strict.rules['redundant-bias-before-batchnorm']).toBe('info');
    expect(lint.presets.strict.rules['dropout-before-pooling']).toBe('off');
    expect(Object.values(lint.presets.all.rules).every((s) => s !== 'off')).toBe(true);
  });

  it("docs/rules.md is generated from the registry, and explainRule prints a rule's docs", async () => {
    const { readFileSync } = await import('node:fs');
    const { fileURLToPath } = await import('node:url');
    const file = readFileSync(fileURLToPath(new URL('../docs/rules.md', import.meta.url)), 'utf8');
    expect(file).toBe(lint.renderRulesMarkdown());
    const text = lint.explainRule(lint.getRule('dropout-rate-high')!);
    expect(text).toContain('dropout-rate-high (dropout; recommended: warn, strict: warn, all: warn)');
    expect(text).toContain('max (default 0.5)');
    expect(text).toContain('Srivastava');
  });
});

/**
 * Every rule's documented example is real: the bad model triggers the rule and the fixed model
 * does not (each linted with the rule enabled and its default options).
 */
import { describe, expect, it } from 'vitest';
import { allRules } from './rules/index.js';
import { RULE_EXAMPLES, exampleToIR, renderExample } from './rule-examples.js';
import { findingsOf } from './testing/run.js';

describe('rule examples', () => {
  it('exist for every rule, and only for rules', () => {
    expect(Object.keys(RULE_EXAMPLES).sort()).toEqual(
      allRules()
        .map((rule) => rule.id)
        .sort(),
    );
  });

  it.each(allRules().map((rule) => rule.id))('%s: the example triggers it, the fixed model does not', (id) => {
    const example = RULE_EXAMPLES[id]!;
    expect(findingsOf(id, exampleToIR(example.bad)).map((f) => f.ruleId)).toContain(id);
    expect(findingsOf(id, exampleToIR(example.good))).toEqual([]);
  });

  it('renders Sequential and functional Strata code', () => {
    expect(renderExample(RULE_EXAMPLES['no-dropout-before-batchnorm']!.bad)).toBe(
      [
        'const model = new Sequential([',
        '  Input([64]),',
        "  new layers.Dense(128, { activation: 'relu' }),",
        '  new layers.Dropout(0.3),',
        '  new layers.BatchNormalization(),',
        "  new layers.Dense(10, { activation: 'softmax' }),",
        ']);',
      ].join('\n'),
    );
    expect(renderExample(RULE_EXAMPLES['dropout-always-active']!.bad)).toContain(
      'const dropped = new layers.Dropout(0.3).apply(hidden, { training: true });',
    );
  });
});

/**
 * `@strata/lint`: an architecture linter for Keras-style models. Works on the
 * `@strata/graph` IR and never loads TensorFlow.js.
 *
 * @packageDocumentation
 */
export * from './types.js';
export { lintModel, type LintModelOptions } from './engine.js';
export { loadLintConfig, parseLintConfig, LintConfigError } from './config.js';
export { allRules, getRule, ruleIds, presets, type Preset } from './rules/index.js';
export { presetNames, presetSeverity } from './presets.js';
export { applyFixes, fixableFindings, type ApplyFixesOptions } from './fixes.js';
export { formatStylish, type StylishOptions } from './formatters/stylish.js';
export { formatJson } from './formatters/json.js';
export { formatSarif, buildSarifLog } from './formatters/sarif.js';
export { lintConfigSchema, LINT_CONFIG_SCHEMA_REF } from './schema.js';
export { explainRule, renderRulesMarkdown } from './rule-docs.js';
export {
  RULE_EXAMPLES,
  ruleExampleCode,
  renderExample,
  exampleToIR,
  type RuleExample,
  type ExampleModel,
  type ExampleLayer,
} from './rule-examples.js';
export { editDistance } from '@strata/graph';

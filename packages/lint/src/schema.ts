/**
 * The JSON schema of `strata-lint.json`, generated from the rule registry so that editors
 * complete rule ids and options. `schema/strata-lint.schema.json` is this function's output
 * (a test keeps them equal; regenerate with `node --conditions=strata-source --import tsx packages/lint/scripts/write-docs.ts`).
 */
import type { JsonObject, JsonValue } from '@strata/graph';
import { presetNames } from './presets.js';
import { allRules } from './rules/index.js';
import type { Rule } from './types.js';

/** The `$schema` value for a config file at a project root that has `@strata/lint` installed. */
export const LINT_CONFIG_SCHEMA_REF = './node_modules/@strata/lint/schema/strata-lint.schema.json';

function optionSchema(value: JsonValue): JsonObject {
  if (Array.isArray(value)) return { type: 'array', items: { type: 'string' } };
  if (value === null) return {};
  return { type: typeof value as 'number' | 'boolean' | 'string' };
}

function ruleSettingSchema(rule: Rule): JsonObject {
  const options: JsonObject = {};
  for (const [name, value] of Object.entries(rule.defaultOptions)) {
    options[name] = { ...optionSchema(value), default: value, description: rule.docs.options?.[name] ?? name };
  }
  return {
    description: `${rule.docs.summary} (recommended: ${rule.recommended}, strict: ${rule.strict})`,
    oneOf: [
      { $ref: '#/definitions/severity' },
      {
        type: 'array',
        minItems: 1,
        maxItems: 2,
        items: [
          { $ref: '#/definitions/severity' },
          { type: 'object', additionalProperties: false, properties: options },
        ],
        additionalItems: false,
      },
    ],
  };
}

/** Builds the JSON schema (draft-07) of the lint config. */
export function lintConfigSchema(): JsonObject {
  const rules = allRules();
  const ruleProperties: JsonObject = {};
  for (const rule of rules) ruleProperties[rule.id] = ruleSettingSchema(rule);
  const rulesObject: JsonObject = { type: 'object', additionalProperties: false, properties: ruleProperties };
  const globs: JsonObject = { type: 'array', items: { type: 'string', minLength: 1 } };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'strata lint configuration',
    type: 'object',
    additionalProperties: false,
    definitions: {
      severity: {
        description: 'off/info/warn/error, or ESLint-style 0 (off), 1 (warn), 2 (error).',
        enum: ['off', 'info', 'warn', 'error', 0, 1, 2],
      },
    },
    properties: {
      $schema: { type: 'string' },
      extends: { description: 'Preset to start from.', enum: [...presetNames], default: 'recommended' },
      rules: rulesObject,
      overrides: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['rules'],
          properties: {
            layers: { ...globs, description: 'Layer-name globs (nested layers also as outer/inner).' },
            classes: { ...globs, description: 'Layer class-name globs.' },
            models: { ...globs, description: 'Model file or model-name globs.' },
            rules: rulesObject,
          },
        },
      },
      suppressions: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['rule', 'layer', 'reason'],
          properties: {
            rule: { enum: rules.map((r) => r.id) },
            layer: { type: 'string', minLength: 1, description: 'Layer name or glob.' },
            model: {
              type: 'string',
              minLength: 1,
              description: 'Model file glob or model name; all models when absent.',
            },
            reason: {
              type: 'string',
              minLength: 1,
              pattern: '\\S',
              description: 'Why the finding is accepted (required).',
            },
          },
        },
      },
    },
  };
}

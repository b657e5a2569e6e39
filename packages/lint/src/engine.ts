/**
 * The lint engine: resolves the preset, rule settings, overrides and suppressions of a config
 * and runs the rules over a model and every nested model.
 */
import { analyzeModelShapes } from '@strata/graph';
import type { JsonObject, LayerIR, ModelIR, Shape } from '@strata/graph';
import { parseLintConfig } from './config.js';
import { globMatch } from './glob.js';
import { viewOf } from './rule-util.js';
import { presetSeverity, severityRank } from './presets.js';
import { allRules } from './rules/index.js';
import type {
  ActiveSeverity,
  Finding,
  LintConfig,
  LintOverride,
  LintResult,
  Rule,
  RuleContext,
  RuleSetting,
  Severity,
  Suppression,
} from './types.js';

/** Options of {@link lintModel}. */
export interface LintModelOptions {
  /** The config (already parsed, or a plain object that is validated here). Default: `recommended`. */
  config?: LintConfig;
  /** File the model came from; used in findings, for `models` globs and as the result's `source`. */
  source?: string;
  /**
   * Output shapes of the layers (nested ones keyed `outer/inner`), as `analyzeModelShapes`
   * of `@strata/graph` returns them; inferred when absent.
   */
  shapes?: Map<string, Shape[][]>;
}

interface ResolvedSetting {
  severity: Severity;
  options: JsonObject;
}

/** One model of the tree being linted. */
interface ModelScope {
  model: ModelIR;
  path: string[];
  /** Sort key prefix: graph positions of the enclosing model layers. */
  key: number[];
}

/**
 * Lints one model: runs every enabled rule on it and its nested models and returns the
 * findings in graph order, after overrides and suppressions.
 *
 * @throws LintConfigError when `options.config` is invalid.
 *
 * @example
 * ```ts
 * const { model } = await readModelFile('model.keras'); // @strata/graph: the config only
 * const result = lintModel(model, { source: 'model.keras', config: { extends: 'strict' } });
 * process.stdout.write(formatStylish([result], { color: false }));
 * ```
 */
export function lintModel(model: ModelIR, options: LintModelOptions = {}): LintResult {
  const config = options.config ? parseLintConfig(options.config as unknown, '<config>') : {};
  const source = options.source ?? model.name;
  const modelNames = [source, model.name];
  const overrides = (config.overrides ?? []).filter(
    (o) => !o.models || o.models.some((glob) => modelNames.some((name) => globMatch(glob, name))),
  );
  const scopes = collectScopes(model);
  const allShapes = options.shapes ?? inferShapes(model);
  const shapesOf = new Map<ModelIR, Map<string, Shape[][]>>();
  for (const scope of scopes) shapesOf.set(scope.model, shapesForScope(allShapes, scope.path));
  const raw: { finding: Finding; key: number[]; ruleIndex: number }[] = [];
  const rules = allRules();
  rules.forEach((rule, ruleIndex) => {
    const base = resolveSetting(rule, config.extends ?? 'recommended', config.rules?.[rule.id]);
    const variants: ResolvedSetting[] = [base];
    const variantOfOverride = overrides.map((override) => {
      const setting = override.rules[rule.id];
      if (setting === undefined) return -1;
      variants.push(resolveSetting(rule, config.extends ?? 'recommended', setting, base));
      return variants.length - 1;
    });
    if (variants.every((v) => v.severity === 'off')) return;
    const variantFor = (layer: LayerIR, path: string[]): number => {
      let chosen = 0;
      overrides.forEach((override, i) => {
        if (variantOfOverride[i]! >= 0 && overrideMatches(override, layer, path)) chosen = variantOfOverride[i]!;
      });
      return chosen;
    };
    variants.forEach((variant, variantIndex) => {
      if (variant.severity === 'off') return;
      for (const scope of scopes) {
        const shapes = shapesOf.get(scope.model)!;
        const view = viewOf(scope.model);
        runChecked(rule, scope, {
          model: scope.model,
          root: model,
          path: scope.path,
          shapes,
          options: variant.options,
          report(report) {
            const path = report.path ?? scope.path;
            if (variantFor(report.layer, path) !== variantIndex) return;
            const severity = lowerOf(variant.severity as ActiveSeverity, report.severity);
            const finding: Finding = {
              ruleId: rule.id,
              severity,
              message: report.message,
              layer: { name: report.layer.name, className: report.layer.className, path },
              ...(report.hint ? { hint: report.hint } : {}),
              ...(options.source ? { file: options.source } : {}),
              ...(report.fix ? { fix: report.fix } : {}),
            };
            raw.push({ finding, key: [...scope.key, view.indexOf(report.layer)], ruleIndex });
          },
        });
      }
    });
  });
  raw.sort((a, b) => compareKeys(a.key, b.key) || a.ruleIndex - b.ruleIndex);
  return applySuppressions(
    raw.map((r) => r.finding),
    config.suppressions ?? [],
    source,
    modelNames,
  );
}

/** Runs one rule; a crash names the rule and the model (an internal error, exit code 2 in the CLI). */
function runChecked(rule: Rule, scope: ModelScope, context: RuleContext): void {
  try {
    rule.check(context);
  } catch (error) {
    const where = [...scope.path].join('/') || scope.model.name;
    throw new Error(`lint rule ${rule.id} failed on model '${where}': ${(error as Error).message}`, { cause: error });
  }
}

function collectScopes(root: ModelIR): ModelScope[] {
  const scopes: ModelScope[] = [];
  const visit = (model: ModelIR, path: string[], key: number[]): void => {
    scopes.push({ model, path, key });
    const view = viewOf(model);
    for (const layer of view.order) {
      if (layer.model) visit(layer.model, [...path, layer.name], [...key, view.indexOf(layer)]);
    }
  };
  visit(root, [], []);
  return scopes;
}

function resolveSetting(
  rule: Rule,
  preset: NonNullable<LintConfig['extends']>,
  setting: RuleSetting | undefined,
  inherit?: ResolvedSetting,
): ResolvedSetting {
  const base: ResolvedSetting = inherit ?? {
    severity: presetSeverity(rule, preset),
    options: { ...rule.defaultOptions },
  };
  if (setting === undefined) return base;
  if (typeof setting === 'string') return { severity: setting, options: base.options };
  return { severity: setting[0], options: { ...base.options, ...(setting[1] ?? {}) } };
}

function overrideMatches(override: LintOverride, layer: LayerIR, path: string[]): boolean {
  const names = [layer.name, [...path, layer.name].join('/')];
  if (override.layers && !override.layers.some((glob) => names.some((name) => globMatch(glob, name)))) return false;
  if (override.classes && !override.classes.some((glob) => globMatch(glob, layer.className))) return false;
  return true;
}

function lowerOf(configured: ActiveSeverity, reported: ActiveSeverity | undefined): ActiveSeverity {
  if (!reported) return configured;
  return severityRank(reported) < severityRank(configured) ? reported : configured;
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Shapes of every layer, nested ones keyed `outer/inner`; partial when some layers are unknown. */
function inferShapes(model: ModelIR): Map<string, Shape[][]> {
  try {
    return analyzeModelShapes(model).shapes;
  } catch {
    // A broken graph (dangling reference, cycle): rules work without shapes.
    return new Map();
  }
}

/** The entries of one (nested) model, keyed by plain layer name. */
function shapesForScope(all: Map<string, Shape[][]>, path: string[]): Map<string, Shape[][]> {
  if (path.length === 0) return all;
  const prefix = `${path.join('/')}/`;
  const scoped = new Map<string, Shape[][]>();
  for (const [key, value] of all) {
    if (key.startsWith(prefix) && !key.slice(prefix.length).includes('/')) scoped.set(key.slice(prefix.length), value);
  }
  return scoped;
}

function applySuppressions(
  findings: Finding[],
  suppressions: Suppression[],
  source: string,
  modelNames: string[],
): LintResult {
  const applicable = suppressions.filter(
    (s) => s.model === undefined || modelNames.some((name) => globMatch(s.model!, name)),
  );
  const used = new Set<Suppression>();
  const kept: Finding[] = [];
  const suppressed: { finding: Finding; suppression: Suppression }[] = [];
  for (const finding of findings) {
    const names = [finding.layer.name, [...finding.layer.path, finding.layer.name].join('/')];
    const suppression = applicable.find(
      (s) => s.rule === finding.ruleId && names.some((name) => globMatch(s.layer, name)),
    );
    if (suppression) {
      used.add(suppression);
      suppressed.push({ finding, suppression });
    } else {
      kept.push(finding);
    }
  }
  return {
    source,
    findings: kept,
    unusedSuppressions: applicable.filter((s) => !used.has(s)),
    suppressed,
  };
}

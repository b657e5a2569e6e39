/**
 * Shared types of `@strata/lint`: rules, findings, severities and configuration.
 *
 * @packageDocumentation
 */
import type { JsonObject, JsonValue, LayerIR, ModelIR, Shape } from '@strata/graph';

/**
 * How serious a finding is; `off` disables a rule. `info` is a hint (perf/style) that never
 * fails a run on its own; `warn` is a likely mistake; `error` is almost certainly a bug.
 */
export type Severity = 'off' | 'info' | 'warn' | 'error';

/** A severity that produces findings. */
export type ActiveSeverity = Exclude<Severity, 'off'>;

/** What a rule is about. */
export type RuleCategory = 'dropout' | 'normalization' | 'gradients' | 'correctness' | 'style' | 'perf';

/** A preset name. */
export type PresetName = 'recommended' | 'strict' | 'all';

/** A change to a model config that fixes a finding. */
export interface Fix {
  /** `safe` fixes keep the model's function; `unsafe` ones change it (applied only with `--fix-unsafe`). */
  kind: 'safe' | 'unsafe';
  /** One line saying what the fix does. */
  description: string;
  /** Applies the fix to a (deep-copied) model IR in place. */
  apply(model: ModelIR): void;
}

/** One problem found in one model. */
export interface Finding {
  /** Rule id, e.g. `no-dropout-before-batchnorm`. */
  ruleId: string;
  /** Effective severity after config and overrides (never `off`). */
  severity: ActiveSeverity;
  /** What is wrong, in one sentence that names the layer(s). */
  message: string;
  /** How to fix it, in one sentence. */
  hint?: string;
  /**
   * The layer the finding is about. `path` lists the names of the enclosing nested models,
   * outermost first (empty for a layer of the top-level model).
   */
  layer: { name: string; className: string; path: string[] };
  /** File the model came from, when linting a file. */
  file?: string;
  /** An automatic fix, when one exists. */
  fix?: Fix;
}

/** What a rule sees: the model, its shapes and helpers to walk it. */
export interface RuleContext {
  /**
   * The model being checked. Rules run once on the top-level model and once on every nested
   * model (a layer that is itself a model); `path` says which.
   */
  model: ModelIR;
  /** The outermost model being linted. */
  root: ModelIR;
  /** Names of the nested models enclosing `model`, outermost first (empty at top level). */
  path: string[];
  /** Inferred output shapes of `model`'s layers (layer name → per node → per output), where known. */
  shapes: Map<string, Shape[][]>;
  /** This rule's options from the config (merged over its defaults). */
  options: JsonObject;
  /**
   * Reports a finding; severity and file are filled in by the engine. `severity` may only
   * lower the configured severity (e.g. to `info` for an intentional MC-dropout layer).
   */
  report(finding: {
    layer: LayerIR;
    path?: string[];
    message: string;
    hint?: string;
    fix?: Fix;
    severity?: ActiveSeverity;
  }): void;
}

/** Documentation of a rule, rendered by `strata explain` and as SARIF help text. */
export interface RuleDocs {
  /** One-line summary. */
  summary: string;
  /** Why it matters, with the citation (paper or framework source). */
  why: string;
  /** How to fix it. */
  howToFix: string;
  /** Known false positives. */
  falsePositives: string;
  /** Meaning of each option, keyed by option name. */
  options?: Record<string, string>;
}

/** A lint rule. */
export interface Rule {
  /** Stable id in kebab-case. */
  id: string;
  /** Rule category. */
  category: RuleCategory;
  /** Severity in the `recommended` preset (`off` when the rule is only in `strict`/`all`). */
  recommended: Severity;
  /** Severity in the `strict` preset. */
  strict: Severity;
  /** Severity in the `all` preset (the rule's own severity from the catalogue). */
  defaultSeverity?: ActiveSeverity;
  /** Whether findings can carry an automatic fix, and of which kind at most. */
  fixable?: 'safe' | 'unsafe';
  /** Default options. */
  defaultOptions: JsonObject;
  /** Documentation. */
  docs: RuleDocs;
  /** Examines the model and reports findings. */
  check(context: RuleContext): void;
}

/** Severity and options of one rule in a config: `"warn"` or `["warn", { max: 0.5 }]`. */
export type RuleSetting = Severity | [Severity] | [Severity, JsonObject];

/** A suppression of one rule on one layer of one model; a reason is required. */
export interface Suppression {
  /** Rule id. */
  rule: string;
  /** Layer name (exact or glob). */
  layer: string;
  /** Model file (glob), or model name; all models when absent. */
  model?: string;
  /** Why the finding is accepted. Required. */
  reason: string;
}

/**
 * Rule settings for some layers only. A layer matches when it matches one of `layers` (name
 * globs, also tried against `outer/inner` paths of nested models) if given, one of `classes`
 * (class-name globs) if given, and the model matches one of `models` (file or model-name globs)
 * if given. Later overrides win.
 */
export interface LintOverride {
  /** Layer-name globs. */
  layers?: string[];
  /** Class-name globs, e.g. `"SpatialDropout*"`. */
  classes?: string[];
  /** Model file or model-name globs. */
  models?: string[];
  /** Rule severities and options for the matching layers. */
  rules: Record<string, RuleSetting>;
}

/** The contents of `strata-lint.json`. */
export interface LintConfig {
  /** JSON schema reference, ignored by the linter. */
  $schema?: string;
  /** Preset to start from (default `recommended`). */
  extends?: PresetName;
  /** Rule severities and options. */
  rules?: Record<string, RuleSetting>;
  /** Per-layer overrides matched by layer-name and class globs. */
  overrides?: LintOverride[];
  /** Accepted findings. */
  suppressions?: Suppression[];
}

/** The result of linting one model or file. */
export interface LintResult {
  /** File path, or model name when linting an in-memory model. */
  source: string;
  /** Findings, in graph order. */
  findings: Finding[];
  /**
   * Suppressions from the config that apply to this source (no `model`, or a `model` glob that
   * matches it) but matched no finding.
   */
  unusedSuppressions: Suppression[];
  /** Findings removed by a suppression, with the suppression that removed them. */
  suppressed?: { finding: Finding; suppression: Suppression }[];
  /** A fatal problem reading the source (exit code 2), when there was one. */
  fatal?: string;
}

export type { JsonValue };

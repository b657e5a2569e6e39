/**
 * `compile_config`: written when the model is compiled, replayed through `compile()` on
 * load. Works with whatever training API the model has: it needs `getCompileConfig()`
 * to save and `compile(args)` to restore, and does nothing when they are absent.
 */
import type { JsonObject } from '@strata/graph';
import { configToCamel, configToSnake } from '../utils/config-case.js';
import { isOptimizerName } from '../optimizers/index.js';
import { toJson } from './layer-ir.js';

interface CompilableModel {
  getCompileConfig?: () => unknown;
  compile?: (args: Record<string, unknown>) => unknown;
  readonly name: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The model's Keras `compile_config` (snake_case), or undefined when not compiled. */
export function compileConfigOf(model: object): JsonObject | undefined {
  const compilable = model as CompilableModel;
  if (typeof compilable.getCompileConfig !== 'function') return undefined;
  const config = compilable.getCompileConfig();
  if (!isObject(config)) return undefined;
  return toJson(configToSnake(config)) as JsonObject;
}

/**
 * The built-in class an optimizer `class_name` means. tf.keras ≥ 2.11 saved its optimizers under
 * their registered names, `Custom>Adam`; only names whose rest is a built-in optimizer are read
 * that way, so a user's own `Custom>MyOptimizer` still fails as unknown.
 */
function optimizerClassName(name: string): string {
  const rest = name.startsWith('Custom>') ? name.slice('Custom>'.length) : undefined;
  return rest !== undefined && isOptimizerName(rest) ? rest : name;
}

/**
 * A tf.keras 2 loss entry in Keras 3 terms: `reduction: "auto"` (tf.keras 2's default, which
 * meant `sum_over_batch_size` outside distribution strategies) becomes `sum_over_batch_size`.
 * Lists and per-output dicts are mapped entry by entry.
 */
function keras3Loss(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(keras3Loss);
  if (!isObject(value)) return value;
  if (typeof value['class_name'] !== 'string')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, keras3Loss(v)]));
  const config = value['config'];
  if (isObject(config) && config['reduction'] === 'auto')
    return { ...value, config: { ...config, reduction: 'sum_over_batch_size' } };
  return value;
}

/**
 * tf.keras 2 metrics in Keras 3 terms: tf.keras 2 always wrote one list per output
 * (`[[…]]` for a single output), which for one output is the plain list.
 */
function keras3Metrics(value: unknown): unknown {
  const perOutput = Array.isArray(value) && value.length === 1 && Array.isArray(value[0]) ? value[0] : value;
  return keras3Metric(perOutput);
}

/**
 * A tf.keras 2 metric entry in Keras 3 terms: `MeanMetricWrapper {name, fn}` (how tf.keras 2 saved
 * `metrics=['accuracy']`) becomes the metric `fn` names, logged under `name`.
 */
function keras3Metric(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(keras3Metric);
  if (!isObject(value)) return value;
  if (typeof value['class_name'] !== 'string')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, keras3Metric(v)]));
  const config = value['config'];
  if (value['class_name'] === 'MeanMetricWrapper' && isObject(config) && typeof config['fn'] === 'string') {
    return { class_name: config['fn'], config: typeof config['name'] === 'string' ? { name: config['name'] } : {} };
  }
  return value;
}

/**
 * The arguments for `compile()` from a Keras `compile_config` (or Keras 2 `training_config`,
 * whose tf.keras 2 spellings — `Custom>Adam`, `lr`, `decay`, `reduction: "auto"`,
 * `MeanMetricWrapper` — are read as tf.keras meant them).
 */
export function compileArgsFrom(compileConfig: JsonObject): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  const optimizer = compileConfig['optimizer'] ?? compileConfig['optimizer_config'];
  if (typeof optimizer === 'string') args['optimizer'] = optimizer;
  else if (isObject(optimizer) && typeof optimizer['class_name'] === 'string') {
    // Only the class name and plain config values are passed on; `module` is never used.
    const config = configToCamel(optimizer['config'] ?? {});
    // Keras 2 training_config spelled the learning rate `lr` and had a `decay` Keras 3 removed.
    if ('lr' in config && !('learningRate' in config)) config['learningRate'] = config['lr'];
    delete config['lr'];
    delete config['decay'];
    args['optimizer'] = { className: optimizerClassName(optimizer['class_name']), config };
  }
  const normalize = {
    loss: keras3Loss,
    metrics: keras3Metrics,
    weighted_metrics: keras3Metrics,
    loss_weights: (v: unknown): unknown => v,
  };
  for (const [key, arg] of [
    ['loss', 'loss'],
    ['metrics', 'metrics'],
    ['loss_weights', 'lossWeights'],
    ['weighted_metrics', 'weightedMetrics'],
  ] as const) {
    const value = normalize[key](compileConfig[key]);
    // Serialized losses/metrics become `{className, config}` (camelCase); names stay strings.
    if (value !== undefined && value !== null) args[arg] = typeof value === 'string' ? value : configToCamel(value);
  }
  return args;
}

/**
 * Compiles a loaded model as it was saved (optimizer, loss, metrics by name), when the model
 * has a training API. As Keras does, a config that cannot be compiled gives a warning, not an error.
 *
 * @returns whether `compile` was called successfully
 */
export function restoreCompile(model: object, compileConfig: JsonObject | undefined): boolean {
  const compilable = model as CompilableModel;
  if (compileConfig === undefined || typeof compilable.compile !== 'function') return false;
  const args = compileArgsFrom(compileConfig);
  if (args['optimizer'] === undefined && args['loss'] === undefined) return false;
  try {
    compilable.compile(args);
    return true;
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    console.warn(
      `Model "${compilable.name}" was loaded but not compiled: its compile_config could not be applied (${message}).`,
    );
    return false;
  }
}

/**
 * `compile_config`: written when the model is compiled, replayed through `compile()` on
 * load. Works with whatever training API the model has: it needs `getCompileConfig()`
 * to save and `compile(args)` to restore, and does nothing when they are absent.
 */
import type { JsonObject } from '@strata/graph';
import { configToCamel, configToSnake } from '../engine/config-case.js';
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

/** The arguments for `compile()` from a Keras `compile_config` (or Keras 2 `training_config`). */
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
    args['optimizer'] = { className: optimizer['class_name'], config };
  }
  for (const [key, arg] of [['loss', 'loss'], ['metrics', 'metrics'], ['loss_weights', 'lossWeights'], ['weighted_metrics', 'weightedMetrics']] as const) {
    const value = compileConfig[key];
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
    console.warn(`Model "${compilable.name}" was loaded but not compiled: its compile_config could not be applied (${message}).`);
    return false;
  }
}

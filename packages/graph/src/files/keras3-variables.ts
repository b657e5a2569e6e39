/**
 * Where Keras 3 keeps each variable of a model in `model.weights.h5`, from the config alone
 * (`saving_lib._save_state`): a layer's own variables at `<group>/vars/<i>` (trainable first),
 * sub-objects at `<group>/<attribute>` in sorted attribute order (an RNN's `cell`,
 * Bidirectional's `backward_layer` / `forward_layer`, TimeDistributed's `layer`,
 * MultiHeadAttention's `key_dense` …), a nested model's layers at `<group>/layers/<snake_case>`.
 *
 * Used to place weights read from files that name them differently (legacy `.h5`, TF.js) at
 * Keras 3's paths without building the model, and to describe the layout Keras writes.
 *
 * @packageDocumentation
 */
import type { JsonObject, JsonValue, LayerIR, ModelIR } from '../ir.js';
import { kerasSnakeCase } from './keras-naming.js';

/** One object (layer or sub-object) that gets a `vars` group. */
export interface KerasVariableGroup {
  /** Group path without `/vars`, e.g. `layers/bidirectional/forward_layer/cell`. */
  path: string;
  /** The top-level layer of the model that owns it. */
  layerName: string;
  /** The object's own name (Keras's `name` attribute of the `vars` group), e.g. `lstm_cell`. */
  name: string;
  /**
   * The name scopes a Keras 2 / TF.js weight name has between the layer's name and the variable
   * name (e.g. `["forward_lstm"]` in `bidirectional/forward_lstm/kernel`). Inside a nested model it
   * starts with the innermost layer's name, which TF.js uses instead of the model's (`inner_dense/kernel`).
   */
  legacyScope: readonly string[];
  /**
   * Path components that a legacy weight name of this object contains (e.g. `forward`,
   * the inner layer's name in a nested model): how legacy files tell sub-objects apart.
   */
  hints: readonly string[];
  /**
   * The object's variables in Keras 3 order; each entry lists the names the variable has
   * had (Keras 3 first, e.g. `kernel` / legacy `depthwise_kernel`).
   */
  variables: readonly (readonly string[])[];
}

const isObject = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const flag = (config: JsonObject, key: string, fallback: boolean): boolean =>
  typeof config[key] === 'boolean' ? (config[key] as boolean) : fallback;

interface ObjectSpec {
  path: string;
  name: string;
  legacyScope: string[];
  hints: string[];
  variables: string[][];
}

const bias = (config: JsonObject): string[][] => (flag(config, 'use_bias', true) ? [['bias']] : []);

/** Variables a layer class owns directly, or `undefined` for a class with sub-objects or unknown. */
function ownVariables(className: string, config: JsonObject): string[][] | undefined {
  switch (className) {
    case 'Dense':
    case 'EinsumDense':
    case 'Conv1D':
    case 'Conv2D':
    case 'Conv3D':
    case 'Conv1DTranspose':
    case 'Conv2DTranspose':
    case 'Conv3DTranspose':
      return [['kernel'], ...bias(config)];
    case 'DepthwiseConv1D':
    case 'DepthwiseConv2D':
      return [['kernel', 'depthwise_kernel'], ...bias(config)];
    case 'SeparableConv1D':
    case 'SeparableConv2D':
      return [['depthwise_kernel'], ['pointwise_kernel'], ...bias(config)];
    case 'Embedding':
      return [['embeddings']];
    case 'BatchNormalization':
      return [
        ...(flag(config, 'scale', true) ? [['gamma']] : []),
        ...(flag(config, 'center', true) ? [['beta']] : []),
        ['moving_mean'],
        ['moving_variance'],
      ];
    case 'LayerNormalization':
    case 'GroupNormalization':
      return [...(flag(config, 'scale', true) ? [['gamma']] : []), ...(flag(config, 'center', true) ? [['beta']] : [])];
    case 'PReLU':
      return [['alpha']];
    case 'Normalization':
      return config['mean'] === null || config['mean'] === undefined ? [['mean'], ['variance'], ['count']] : [];
    case 'StringLookup':
    case 'IntegerLookup':
      return [];
    case 'Attention':
      return [
        ...(flag(config, 'use_scale', false) ? [['scale']] : []),
        ...(config['score_mode'] === 'concat' ? [['concat_score_weight']] : []),
      ];
    case 'AdditiveAttention':
      return flag(config, 'use_scale', true) ? [['scale']] : [];
    default:
      return undefined;
  }
}

function wrapped(config: JsonObject, key: string): { className: string; config: JsonObject } | undefined {
  const inner = config[key];
  if (!isObject(inner) || typeof inner['class_name'] !== 'string' || !isObject(inner['config'])) return undefined;
  return { className: inner['class_name'], config: inner['config'] };
}

const RECURRENT = new Set(['SimpleRNN', 'LSTM', 'GRU']);

/** The objects of one layer given by class and config, paths relative to the layer's group. */
function layerObjects(className: string, config: JsonObject, model: ModelIR | undefined, name: string): ObjectSpec[] {
  const root: ObjectSpec = { path: '', name, legacyScope: [], hints: [], variables: [] };
  if (model !== undefined)
    return [root, ...modelObjects(model).map((spec) => ({ ...spec, path: `layers/${spec.path}` }))];
  const own = ownVariables(className, config);
  if (own !== undefined) return [{ ...root, variables: own }];
  const nest = (prefix: string, hints: string[], specs: ObjectSpec[], scope: string[] = []): ObjectSpec[] =>
    specs.map((spec) => ({
      ...spec,
      path: spec.path === '' ? prefix : `${prefix}/${spec.path}`,
      hints: [...hints, ...spec.hints],
      legacyScope: [...scope, ...spec.legacyScope],
    }));
  const innerName = (inner: { className: string; config: JsonObject }): string =>
    typeof inner.config['name'] === 'string' ? inner.config['name'] : kerasSnakeCase(inner.className);
  if (RECURRENT.has(className)) {
    return [
      root,
      {
        path: 'cell',
        name: `${kerasSnakeCase(className)}_cell`,
        legacyScope: [],
        hints: [],
        variables: [['kernel'], ['recurrent_kernel'], ...bias(config)],
      },
    ];
  }
  if (className === 'Bidirectional') {
    const forward = wrapped(config, 'layer');
    const backward = wrapped(config, 'backward_layer') ?? forward;
    if (forward === undefined || backward === undefined) return [root];
    // Sorted attribute order: backward_layer before forward_layer.
    return [
      root,
      ...nest(
        'backward_layer',
        ['backward'],
        layerObjects(backward.className, backward.config, undefined, `backward_${innerName(backward)}`),
        [`backward_${innerName(backward)}`],
      ),
      ...nest(
        'forward_layer',
        ['forward'],
        layerObjects(forward.className, forward.config, undefined, `forward_${innerName(forward)}`),
        [`forward_${innerName(forward)}`],
      ),
    ];
  }
  if (className === 'TimeDistributed') {
    const inner = wrapped(config, 'layer');
    return inner === undefined
      ? [root]
      : [root, ...nest('layer', [], layerObjects(inner.className, inner.config, undefined, innerName(inner)))];
  }
  if (className === 'MultiHeadAttention') {
    const dense = (attribute: string, hint: string): ObjectSpec => ({
      path: attribute,
      name: hint,
      legacyScope: [hint],
      hints: [hint],
      variables: [['kernel'], ...bias(config)],
    });
    // Sorted attribute order, as Keras saves them; `use_gate` adds `_gate_dense` (".h5" scope "gate").
    const gate = config['use_gate'] === true ? [dense('_gate_dense', 'gate')] : [];
    return [
      root,
      ...gate,
      dense('key_dense', 'key'),
      dense('output_dense', 'attention_output'),
      dense('query_dense', 'query'),
      dense('value_dense', 'value'),
    ];
  }
  return [root];
}

/** The objects of a model's layers, paths relative to the model (`<snake_case>[...]`). */
function modelObjects(model: ModelIR): ObjectSpec[] {
  const used = new Map<string, number>();
  const specs: ObjectSpec[] = [];
  for (const layer of model.layers) {
    if (model.className === 'Sequential' && layer.className === 'InputLayer') continue;
    const base = kerasSnakeCase(layer.className);
    const seen = used.get(base);
    used.set(base, seen === undefined ? 0 : seen + 1);
    const group = seen === undefined ? base : `${base}_${seen + 1}`;
    for (const spec of layerObjects(layer.className, layer.config, layer.model, layer.name)) {
      // Legacy names start at the innermost layer (`inner_dense/kernel`), not at the models around it.
      const legacyScope = layer.model === undefined ? [layer.name, ...spec.legacyScope] : spec.legacyScope;
      specs.push({
        ...spec,
        path: spec.path === '' ? group : `${group}/${spec.path}`,
        hints: [layer.name, ...spec.hints],
        legacyScope,
      });
    }
  }
  return specs;
}

/**
 * Lists every `vars` group Keras 3 writes for `model`, in save order, with the variables each
 * holds. A layer class not described here gets an empty group (right for parameter-free layers).
 */
export function kerasVariableGroups(model: ModelIR): KerasVariableGroup[] {
  const groups: KerasVariableGroup[] = [];
  const used = new Map<string, number>();
  for (const layer of model.layers) {
    if (model.className === 'Sequential' && layer.className === 'InputLayer') continue;
    const base = kerasSnakeCase(layer.className);
    const seen = used.get(base);
    used.set(base, seen === undefined ? 0 : seen + 1);
    const group = `layers/${seen === undefined ? base : `${base}_${seen + 1}`}`;
    for (const spec of layerObjects(layer.className, layer.config, layer.model, layer.name)) {
      groups.push({
        path: spec.path === '' ? group : `${group}/${spec.path}`,
        layerName: layer.name,
        name: spec.name,
        legacyScope: spec.legacyScope,
        hints: spec.hints,
        variables: spec.variables,
      });
    }
  }
  return groups;
}

/** Whether the layer classes of `layer` (wrapped and nested ones included) are all described here. */
export function hasKnownVariables(layer: LayerIR): boolean {
  // A nested model's groups are listed layer by layer; counts are checked when weights are placed.
  if (layer.model !== undefined) return true;
  const known = (className: string, config: JsonObject): boolean => {
    if (ownVariables(className, config) !== undefined || RECURRENT.has(className) || className === 'MultiHeadAttention')
      return true;
    if (className === 'Bidirectional' || className === 'TimeDistributed') {
      const inner = wrapped(config, 'layer');
      return inner !== undefined && known(inner.className, inner.config);
    }
    return false;
  };
  return known(layer.className, layer.config);
}

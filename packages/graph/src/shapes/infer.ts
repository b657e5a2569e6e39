/** Shape inference for one layer call: the registry of rules by Keras class name. */
import { decodeModelConfig } from '../codecs/detect.js';
import { MODEL_CLASS_NAMES } from '../codecs/common.js';
import type { JsonObject, Shape } from '../ir.js';
import type { LayerCall, ShapeRule } from './call.js';
import { convolutionalRules } from './convolutional.js';
import { coreRules } from './core.js';
import { UnknownLayerError } from './errors.js';
import { attentionRules } from './attention.js';
import { mergingRules } from './merging.js';
import { inferNestedModelOutputs } from './model.js';
import { normalizationRules } from './normalization.js';
import { poolingRules } from './pooling.js';
import { preprocessingRules } from './preprocessing.js';
import { regularizationRules } from './regularization.js';
import { reshapingRules } from './reshaping.js';
import { rnnRules } from './rnn.js';

/** A nested model given only by its config: decode it, then infer through it. */
const nestedModel: ShapeRule = (call) => {
  const { model } = decodeModelConfig({ class_name: call.className, config: call.config });
  return inferNestedModelOutputs(model, call.inputs, call.name);
};

const RULES: ReadonlyMap<string, ShapeRule> = new Map(
  Object.entries({
    ...coreRules,
    ...regularizationRules,
    ...convolutionalRules,
    ...poolingRules,
    ...normalizationRules,
    ...mergingRules,
    ...reshapingRules,
    ...rnnRules,
    ...attentionRules,
    ...preprocessingRules,
    ...Object.fromEntries([...MODEL_CLASS_NAMES].map((name) => [name, nestedModel])),
  }),
);

/** Whether {@link inferLayerOutputShapes} has a rule for `className`. */
export function hasShapeRule(className: string): boolean {
  return RULES.has(className);
}

/** The layer classes {@link inferLayerOutputShapes} knows, sorted. */
export function shapeRuleClassNames(): string[] {
  return [...RULES.keys()].sort();
}

/**
 * Output shapes of one call of a layer, following Keras 3's `compute_output_shape`.
 *
 * @param className - Keras class name, e.g. `"Conv2D"`
 * @param config - the layer's Keras config (snake_case keys, as on disk)
 * @param inputShapes - shapes of the call's inputs (batch dimension included), in call order
 * @param layerName - name used in error messages (defaults to `config.name`)
 * @param kwargs - the call's keyword arguments as written in the file (snake_case), e.g.
 *   `{ return_attention_scores: true }`, which adds an output to attention layers
 * @returns one shape per output (several for RNNs with `return_state`, etc.)
 * @throws UnknownLayerError when there is no rule for `className`
 * @throws ShapeError when the inputs do not fit the layer
 */
export function inferLayerOutputShapes(
  className: string,
  config: JsonObject,
  inputShapes: Shape[],
  layerName?: string,
  kwargs?: JsonObject,
): Shape[] {
  const rule = RULES.get(className);
  const name = layerName ?? (typeof config['name'] === 'string' ? config['name'] : className);
  if (rule === undefined) throw new UnknownLayerError(className, name);
  const call: LayerCall = {
    className,
    name,
    config,
    inputs: inputShapes,
    kwargs: kwargs ?? {},
    infer: inferLayerOutputShapes,
  };
  return rule(call);
}

/**
 * Shape rules for Keras's preprocessing layers (`keras/src/layers/preprocessing`): the lookups
 * (`StringLookup`, `IntegerLookup`), `TextVectorization` and `Normalization`.
 */
import type { JsonValue, Shape } from '../ir.js';
import { shapeError, singleInput, type LayerCall, type ShapeRule } from './call.js';
import { sameShape } from './core.js';

function optionalInt(value: JsonValue | undefined): number | null {
  return typeof value === 'number' && Number.isInteger(value) ? value : null;
}

/** Width of an encoded output: `max_tokens` when padding, else the recorded `vocabulary_size`. */
function encodingDepth(call: LayerCall): number | null {
  if (call.config['pad_to_max_tokens'] === true) return optionalInt(call.config['max_tokens']);
  return optionalInt(call.config['vocabulary_size']);
}

/** Keras `IndexLookup.compute_output_shape`. */
function lookupShape(call: LayerCall, input: Shape): Shape {
  const mode = call.config['output_mode'] ?? 'int';
  if (mode === 'int') return [...input];
  const depth = encodingDepth(call);
  if (mode === 'one_hot')
    return input.length > 1 && input[input.length - 1] === 1 ? [...input.slice(0, -1), depth] : [...input, depth];
  if (mode === 'multi_hot' || mode === 'count' || mode === 'tf_idf' || mode === 'binary' || mode === 'tf-idf')
    return [...input.slice(0, -1), depth];
  throw shapeError(
    call,
    `unknown output_mode ${JSON.stringify(mode)} (expected int, one_hot, multi_hot, count or tf_idf)`,
  );
}

const indexLookup: ShapeRule = (call) => [lookupShape(call, singleInput(call))];

/** Keras `TextVectorization.compute_output_shape`. */
const textVectorization: ShapeRule = (call) => {
  const input = singleInput(call);
  const mode = call.config['output_mode'] ?? 'int';
  if (mode === 'int') return [[input[0] ?? null, optionalInt(call.config['output_sequence_length'])]];
  const split = call.config['split'] ?? null;
  // Strata's call squeezes a [batch, 1] input before splitting, so the output is [batch, depth].
  const texts = split !== null && input.length === 2 && input[1] === 1 ? input.slice(0, 1) : input;
  const tokens: Shape = split === null ? (texts.length <= 1 ? [...texts, 1] : [...texts]) : [...texts, null];
  return [lookupShape(call, tokens)];
};

export const preprocessingRules: Record<string, ShapeRule> = {
  StringLookup: indexLookup,
  IntegerLookup: indexLookup,
  TextVectorization: textVectorization,
  Normalization: sameShape,
};

/**
 * Keyword arguments of a layer call beyond `training`, `mask` and `initialState` (e.g.
 * MultiHeadAttention's `attentionMask`, `useCausalMask`): checked against the names the layer
 * takes, and split into tensors (which become inputs of a call node) and plain values.
 */
import * as tf from '@tensorflow/tfjs-core';
import { KerasTensor } from './keras-tensor.js';
import { ConfigurationError } from '../utils/errors.js';

/** A plain (non-tensor) keyword argument of a call, e.g. `useCausalMask: true`. */
export type CallKwargValue = boolean | number | string | null;

/** What {@link splitCallKwargs} needs of a layer. */
interface KwargTaker {
  readonly name: string;
  readonly className: string;
  readonly callKeywordArguments: readonly string[];
}

/**
 * Checks keyword arguments against the layer's `callKeywordArguments` (naming the layer and
 * the accepted names otherwise) and splits tensors from plain values; `undefined` values are dropped.
 */
export function splitCallKwargs(
  layer: KwargTaker,
  kwargs: Readonly<Record<string, CallKwargValue | tf.Tensor | KerasTensor>> | undefined,
): { plain: Record<string, CallKwargValue>; tensors: [string, tf.Tensor | KerasTensor][] } {
  const plain: Record<string, CallKwargValue> = {};
  const tensors: [string, tf.Tensor | KerasTensor][] = [];
  const accepted = layer.callKeywordArguments;
  for (const [name, value] of Object.entries(kwargs ?? {})) {
    if (!accepted.includes(name)) {
      throw new ConfigurationError(
        `Layer "${layer.name}" (${layer.className}) takes no keyword argument "${name}"` +
          (accepted.length > 0 ? `; it takes: ${accepted.join(', ')}` : ''),
      );
    }
    if (value === undefined) continue;
    if (value instanceof tf.Tensor || value instanceof KerasTensor) tensors.push([name, value]);
    else plain[name] = value;
  }
  return { plain, tensors };
}

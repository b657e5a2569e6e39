/**
 * Tensor ranks and shapes as far as they can be known without running a model: taken from
 * inferred shapes when given, otherwise derived from layer classes (Conv2D → rank 4, Flatten → 2).
 */
import type { LayerIR, Shape } from '@strata/graph';
import type { GraphView } from './graph-util.js';
import { convRank, isGlobalPooling, isRecurrent, poolingRank } from './layer-kinds.js';

/** Output shape of the first call of `layer`, from inferred shapes. */
export function knownOutputShape(shapes: Map<string, Shape[][]>, layer: LayerIR): Shape | undefined {
  return shapes.get(layer.name)?.[0]?.[0];
}

/** Shape of the tensor entering `layer` (its first producer's output), when known. */
export function knownInputShape(view: GraphView, shapes: Map<string, Shape[][]>, layer: LayerIR): Shape | undefined {
  const producer = view.producers(layer)[0];
  if (producer) return knownOutputShape(shapes, producer);
  const declared = declaredInputShape(layer);
  return declared;
}

function declaredInputShape(layer: LayerIR): Shape | undefined {
  for (const key of ['batch_shape', 'batch_input_shape']) {
    const value = layer.config[key];
    if (Array.isArray(value)) return value.map((v) => (typeof v === 'number' ? v : null));
  }
  return undefined;
}

/** Rank of the tensor `layer` outputs, or `undefined` when it cannot be told. */
export function outputRank(view: GraphView, shapes: Map<string, Shape[][]>, layer: LayerIR): number | undefined {
  return rankOf(view, shapes, layer, new Set());
}

/** Rank of the tensor entering `layer`, or `undefined`. */
export function inputRank(view: GraphView, shapes: Map<string, Shape[][]>, layer: LayerIR): number | undefined {
  const producer = view.producers(layer)[0];
  if (producer) return outputRank(view, shapes, producer);
  return declaredInputShape(layer)?.length;
}

function rankOf(
  view: GraphView,
  shapes: Map<string, Shape[][]>,
  layer: LayerIR,
  visiting: Set<LayerIR>,
): number | undefined {
  const known = knownOutputShape(shapes, layer);
  if (known) return known.length;
  if (visiting.has(layer)) return undefined;
  visiting.add(layer);
  const producer = view.producers(layer)[0];
  const fromInput = (): number | undefined =>
    producer ? rankOf(view, shapes, producer, visiting) : declaredInputShape(layer)?.length;
  const config = layer.config;
  if (layer.className === 'InputLayer') return declaredInputShape(layer)?.length;
  const conv = convRank(layer) ?? poolingRank(layer);
  if (conv !== undefined) return conv + 2;
  if (isGlobalPooling(layer)) {
    return config['keepdims'] === true ? Number(/([123])D$/.exec(layer.className)![1]) + 2 : 2;
  }
  switch (layer.className) {
    case 'Flatten':
      return 2;
    case 'RepeatVector':
      return 3;
    case 'Reshape': {
      const target = config['target_shape'];
      return Array.isArray(target) ? target.length + 1 : undefined;
    }
    case 'Embedding': {
      const r = fromInput();
      return r === undefined ? 3 : r + 1;
    }
    default:
      break;
  }
  if (isRecurrent(layer) && layer.className !== 'ConvLSTM2D') {
    return config['return_sequences'] === true ? 3 : 2;
  }
  if (layer.model) return undefined;
  return fromInput();
}

/**
 * Walking a model's IR graph the way the policies need: to the end of a block (through
 * activations, normalization and pooling), to a model output through transparent layers, and
 * back from a tensor to the convolution(s) that produced it.
 */
import {
  convRank,
  hasLayerKind,
  isActivation,
  isDropoutFamily,
  isMerge,
  isNormalization,
  isPooling,
  isTransparent,
  type LayerIR,
  type ModelIR,
  type TensorRef,
} from '@strata/graph';
import { consumersOf, isModelOutput, outputRefsOf, producerOf } from './ir-edit.js';

/** Where a block ends: the tensor after which a dropout layer goes. */
export interface BlockEnd {
  ref: TensorRef;
  /** Whether a pooling layer was passed (it closes a conv block). */
  passedPooling: boolean;
}

/** The single consumer of `ref` taking one input, or undefined (several consumers, merges, model output). */
function soleConsumer(ir: ModelIR, ref: TensorRef): { layer: LayerIR; out: TensorRef } | undefined {
  if (isModelOutput(ir, ref)) return undefined;
  const consumers = consumersOf(ir, ref);
  if (consumers.length !== 1) return undefined;
  const [c] = consumers;
  if (c!.layer.nodes[c!.nodeIndex]!.inputs.length !== 1) return undefined;
  return { layer: c!.layer, out: outputRefsOf(ir, c!)[0]! };
}

/**
 * Follows `ref` through a chain of single-consumer activation and normalization layers (and,
 * when `throughPooling`, one pooling layer after which the block is closed).
 */
export function blockEnd(ir: ModelIR, ref: TensorRef, throughPooling: boolean): BlockEnd {
  let current = ref;
  for (;;) {
    const next = soleConsumer(ir, current);
    if (next === undefined) return { ref: current, passedPooling: false };
    const cls = next.layer.className;
    if (isActivation(cls) || isNormalization(cls)) {
      current = next.out;
    } else if (throughPooling && isPooling(cls)) {
      return { ref: next.out, passedPooling: true };
    } else {
      return { ref: current, passedPooling: false };
    }
  }
}

/** Whether `ref` reaches a model output through transparent layers only (activations, dropout, reshapes). */
export function reachesOutput(ir: ModelIR, ref: TensorRef): boolean {
  const queue = [ref];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const current = queue.shift()!;
    const key = `${current.layer}/${current.node}/${current.index}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (isModelOutput(ir, current)) return true;
    for (const c of consumersOf(ir, current)) {
      if (isTransparent(c.layer.className)) queue.push(...outputRefsOf(ir, c));
    }
  }
  return false;
}

/** Whether every consumer of `ref` is a dropout-family layer (so a dropout is already there). */
export function followedByDropout(ir: ModelIR, ref: TensorRef): boolean {
  const consumers = consumersOf(ir, ref);
  return consumers.length > 0 && consumers.every((c) => isDropoutFamily(c.layer.className));
}

/** The conv a tensor comes from: spatial rank and the conv's `data_format` config. */
export interface ConvSource {
  rank: number;
  dataFormat: string | null;
  conv: string;
}

/** Layers that pad, crop or upsample feature maps: same rank and channel layout. */
const isSpatialReshape = (cls: string): boolean =>
  hasLayerKind(cls, 'padding') || hasLayerKind(cls, 'cropping') || hasLayerKind(cls, 'upsampling');

/**
 * Walks back from `ref` through activation, normalization, pooling, padding/cropping/upsampling,
 * dropout and merge layers to
 * the convolution(s) that produced it; undefined when it does not come from convolutions of one
 * rank and format (e.g. an Embedding, a Dense, or a mix).
 */
export function convSourceOf(ir: ModelIR, ref: TensorRef, depth = 0): ConvSource | undefined {
  if (depth > 64) return undefined;
  const producer = producerOf(ir, ref);
  if (producer === undefined) return undefined;
  const { layer, nodeIndex } = producer;
  const rank = convRank(layer.className);
  if (rank !== undefined) {
    const format = layer.config['data_format'];
    return { rank, dataFormat: typeof format === 'string' ? format : null, conv: layer.name };
  }
  const inputs = layer.nodes[nodeIndex]!.inputs;
  const cls = layer.className;
  const passThrough =
    isActivation(cls) || isNormalization(cls) || isPooling(cls) || isDropoutFamily(cls) || isSpatialReshape(cls);
  if (passThrough && inputs.length === 1) return convSourceOf(ir, inputs[0]!, depth + 1);
  if (isMerge(cls) && inputs.length > 0) {
    const sources = inputs.map((r) => convSourceOf(ir, r, depth + 1));
    const [first] = sources;
    if (
      first === undefined ||
      sources.some((s) => s === undefined || s.rank !== first.rank || (s.dataFormat ?? '') !== (first.dataFormat ?? ''))
    )
      return undefined;
    return first;
  }
  return undefined;
}

/**
 * Helpers shared by several rules: cached graph views, conv-source search, nearest activation,
 * option readers and the ids of the layers a rule reports on.
 */
import type { JsonObject, LayerIR, ModelIR } from '@strata/graph';
import { buildGraphView, walkThrough, type GraphView, type Reached } from './graph-util.js';
import {
  convRank,
  dataFormat,
  isActivationLayer,
  isBatchNorm,
  isDropoutLike,
  isGlobalPooling,
  isMerge,
  isShapeOnly,
  isWeightLayer,
  outputActivation,
  poolingRank,
} from './layer-kinds.js';

const views = new WeakMap<ModelIR, GraphView>();

/** The graph view of a model, built once per model object. */
export function viewOf(model: ModelIR): GraphView {
  let view = views.get(model);
  if (!view) {
    view = buildGraphView(model);
    views.set(model, view);
  }
  return view;
}

/** Reads a numeric option. */
export function numberOption(options: JsonObject, key: string, fallback: number): number {
  const value = options[key];
  return typeof value === 'number' ? value : fallback;
}

/** Reads a boolean option. */
export function booleanOption(options: JsonObject, key: string, fallback: boolean): boolean {
  const value = options[key];
  return typeof value === 'boolean' ? value : fallback;
}

/** Reads a string-array option. */
export function stringListOption(options: JsonObject, key: string): string[] {
  const value = options[key];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Where a dropout's input comes from when it is a conv feature map. */
export interface ConvSource {
  conv: LayerIR;
  /** The layers between the conv and the dropout, nearest the dropout first. */
  via: LayerIR[];
}

/**
 * The convolution whose feature map reaches `layer`'s input through layers that keep the map
 * spatial (activations, padding, up-sampling, BatchNormalization, other dropouts, merges and, when
 * `throughPooling`, local pooling; Flatten only when `flattenIsBoundary` is false).
 * Flatten, global pooling, Reshape, Dense and inputs end the search.
 */
export function findConvSource(
  view: GraphView,
  layer: LayerIR,
  options: { throughPooling: boolean; flattenIsBoundary: boolean },
): ConvSource | undefined {
  const passThrough = (l: LayerIR): boolean =>
    isShapeOnly(l) ||
    isActivationLayer(l) ||
    isBatchNorm(l) ||
    isDropoutLike(l) ||
    isMerge(l) ||
    /^UpSampling[123]D$/.test(l.className) ||
    (options.throughPooling && poolingRank(l) !== undefined) ||
    (!options.flattenIsBoundary && l.className === 'Flatten');
  const reached = walkThrough(view, layer, 'up', passThrough);
  const hit = reached.find((r) => convRank(r.layer) !== undefined);
  return hit ? { conv: hit.layer, via: hit.via } : undefined;
}

/**
 * The nearest layer upstream of `layer` (through shape-only layers, dropouts, pooling and
 * BatchNormalization) that has a `data_format`: the conv or pooling that laid out the map.
 */
export function upstreamDataFormatLayer(view: GraphView, layer: LayerIR): LayerIR | undefined {
  const reached = walkThrough(
    view,
    layer,
    'up',
    (l) =>
      dataFormat(l) === undefined &&
      (isShapeOnly(l) || isActivationLayer(l) || isBatchNorm(l) || isDropoutLike(l) || isMerge(l)),
  );
  // Flatten and global pooling carry a data_format too, but end the feature map.
  return reached
    .map((r) => r.layer)
    .find((l) => dataFormat(l) !== undefined && l.className !== 'Flatten' && !isGlobalPooling(l));
}

/** A layer with a known output activation reached from a start layer. */
export interface ActivationHit extends Reached {
  activation: string | undefined;
}

/**
 * The nearest activations up- or downstream of `layer`, passing layers that apply none
 * (dropouts, Flatten, Reshape, padding). Downstream, a linear weight layer is passed too, so
 * `Dropout → Dense(linear) → Activation(selu)` finds `selu`. BatchNormalization, merges and
 * inputs are reported with activation `undefined` (unknown distribution).
 */
export function nearestActivations(view: GraphView, layer: LayerIR, direction: 'up' | 'down'): ActivationHit[] {
  const passThrough = (l: LayerIR): boolean => {
    if (isBatchNorm(l) || isMerge(l) || l.className === 'InputLayer' || l.model) return false;
    const activation = outputActivation(l);
    if (activation === undefined) return true;
    return direction === 'down' && isWeightLayer(l) && activation === 'linear';
  };
  return walkThrough(view, layer, direction, passThrough).map((r) => ({ ...r, activation: outputActivation(r.layer) }));
}

/** Formats a rate for messages (0.30000000000000004 → 0.3). */
export function formatRate(rate: number): string {
  return String(Number(rate.toPrecision(6)));
}

/** `layer (Class)` for messages. */
export function describe(layer: LayerIR): string {
  return `'${layer.name}' (${layer.className})`;
}

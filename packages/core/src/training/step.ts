/**
 * One training / test / prediction step on a batch. A training step runs ONE gradient
 * computation (`tf.variableGrads` over the trainable weights) of the compiled loss plus
 * regularization and activity losses, applies the optimizer, then the weight constraints; metric
 * statistics (and gradient norms, when a callback asks) are read back in a single sync.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Model } from '../engine/model.js';
import { collectLosses } from '../utils/losses-collector.js';
import type { LayerGradientNorm } from '../callbacks/callback.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { CompiledHeads } from './compiled.js';
import type { Batch } from '../data/arrays.js';

export type { Batch, OutputSampleWeights } from '../data/arrays.js';

/** Runs the model on inputs and returns its outputs as a list. */
export function forward(model: Model, xs: tf.Tensor[], training: boolean): tf.Tensor[] {
  const out = model.invoke(xs.length === 1 ? xs[0]! : xs, { training, mask: null });
  return Array.isArray(out) ? out : [out];
}

/** Weight-regularization penalties of the trainable weights plus the losses layers added. */
function extraLosses(model: Model, added: tf.Tensor[]): tf.Tensor[] {
  const penalties = model.trainableWeights
    .filter((w) => w.regularizer !== null)
    .map((w) => w.regularizer!.call(w.value));
  return [...added.map((l) => tf.sum(l)), ...penalties];
}

/** The full objective for a batch; returns the total and keeps predictions and per-output losses. */
function objective(
  model: Model,
  heads: CompiledHeads,
  batch: Batch,
  training: boolean,
): { total: tf.Scalar; preds: tf.Tensor[]; perOutput: tf.Scalar[] } {
  const { result: preds, losses: added } = collectLosses(() => forward(model, batch.x, training));
  const { total, perOutput } = heads.computeLoss(batch.y, preds, batch.sampleWeight);
  const extras = extraLosses(model, added);
  const sum = extras.length === 0 ? total : (tf.addN([total, ...extras.map((e) => tf.reshape(e, []))]) as tf.Scalar);
  return { total: sum, preds, perOutput };
}

/** Reads the loss, per-output losses, metric statistics and extras with one `dataSync`, updating the metrics. */
function updateMetrics(
  heads: CompiledHeads,
  batch: Batch,
  total: tf.Scalar,
  perOutput: tf.Scalar[],
  preds: tf.Tensor[],
  extra: tf.Tensor1D | null,
): Float32Array | null {
  const batchSize = batch.x[0]!.shape[0]!;
  let lengths: number[] = [];
  const packed = tf.tidy(() => {
    const stats = heads.metricStatistics(batch.y, preds, batch.sampleWeight);
    lengths = stats.map((s) => s.shape[0]);
    const parts: tf.Tensor1D[] = [
      tf.reshape(total, [1]),
      ...perOutput.map((p) => tf.reshape(p, [1]) as tf.Tensor1D),
      ...stats,
    ];
    if (extra !== null) parts.push(extra);
    return tf.concat(parts);
  });
  const values = packed.dataSync() as Float32Array;
  packed.dispose();
  heads.lossTracker.addValue(values[0]!, batchSize);
  let offset = 1;
  for (const tracker of heads.outputLossTrackers) tracker.addValue(values[offset++]!, batchSize);
  heads.compiledMetrics.forEach((m, i) => {
    const n = lengths[i]!;
    m.mergeStatistics(values.subarray(offset, offset + n));
    offset += n;
  });
  return extra === null ? null : values.subarray(offset);
}

/** Layers owning trainable weights, in weight order, with the weight indices of each. */
function layerGroups(model: Model): { layer: string; className: string; indices: number[] }[] {
  const groups: { layer: string; className: string; indices: number[] }[] = [];
  model.trainableWeights.forEach((w, i) => {
    const owner = w.owner as { name: string; className?: string };
    let group = groups.find((g) => g.layer === owner.name);
    if (group === undefined) {
      group = { layer: owner.name, className: owner.className ?? 'Layer', indices: [] };
      groups.push(group);
    }
    group.indices.push(i);
  });
  return groups;
}

/** Result of a training step. */
export interface TrainStepResult {
  /** Per-layer gradient norms, when asked for. */
  gradientNorms: LayerGradientNorm[] | null;
}

/** Runs one optimizer step on a batch and updates the metrics. */
export function trainStep(
  model: Model,
  heads: CompiledHeads,
  optimizer: Optimizer,
  batch: Batch,
  withGradientNorms: boolean,
): TrainStepResult {
  const weights = model.trainableWeights;
  const variables = weights.map((w) => w.value);
  let preds: tf.Tensor[] = [];
  let perOutput: tf.Scalar[] = [];
  const f = (): tf.Scalar => {
    const r = objective(model, heads, batch, true);
    preds = r.preds.map((p) => tf.keep(p));
    perOutput = r.perOutput.map((p) => tf.keep(p));
    return r.total;
  };
  if (variables.length === 0) {
    console.warn(`Model "${model.name}" has no trainable weights; fit only updates metrics`);
    const total = tf.tidy(f);
    updateMetrics(heads, batch, total, perOutput, preds, null);
    tf.dispose([total, ...preds, ...perOutput]);
    return { gradientNorms: null };
  }
  heads.checkOnce(() =>
    tf.tidy(() => {
      objective(model, heads, batch, false);
    }),
  );
  const { value, grads } = tf.variableGrads(f, variables);
  try {
    const gradList = variables.map((v) => grads[v.name] ?? null);
    const groups = withGradientNorms ? layerGroups(model) : [];
    const normTensor = withGradientNorms
      ? tf.tidy(
          () =>
            tf.stack(
              groups.map((g) => {
                const squares = g.indices
                  .map((i) => gradList[i])
                  .filter((x): x is tf.Tensor => x !== null)
                  .map((x) => tf.sum(tf.square(x)));
                return squares.length === 0 ? tf.scalar(0) : tf.sqrt(tf.addN(squares));
              }),
            ) as tf.Tensor1D,
        )
      : null;
    const pairs = gradList.flatMap((g, i) => (g === null ? [] : [[g, variables[i]!] as [tf.Tensor, tf.Variable]]));
    optimizer.applyGradients(pairs);
    for (const w of weights) if (w.constraint !== null) w.applyConstraint();
    const norms = updateMetrics(heads, batch, value, perOutput, preds, normTensor);
    normTensor?.dispose();
    return {
      gradientNorms:
        norms === null ? null : groups.map((g, i) => ({ layer: g.layer, className: g.className, norm: norms[i]! })),
    };
  } finally {
    tf.dispose([value, ...Object.values(grads), ...preds, ...perOutput]);
  }
}

/** Runs the model in inference mode on a batch and updates the metrics. */
export function testStep(model: Model, heads: CompiledHeads, batch: Batch): void {
  let preds: tf.Tensor[] = [];
  let perOutput: tf.Scalar[] = [];
  const total = tf.tidy(() => {
    const r = objective(model, heads, batch, false);
    preds = r.preds.map((p) => tf.keep(p));
    perOutput = r.perOutput.map((p) => tf.keep(p));
    return r.total;
  });
  try {
    updateMetrics(heads, batch, total, perOutput, preds, null);
  } finally {
    tf.dispose([total, ...preds, ...perOutput]);
  }
}

/** Runs the model in inference mode; the caller owns the outputs. */
export function predictStep(model: Model, xs: tf.Tensor[]): tf.Tensor[] {
  return tf.tidy(() => forward(model, xs, false));
}

/**
 * What `compile` sets up, resolved per model output the way Keras 3's `CompileLoss` and
 * `CompileMetrics` do: one loss per output (a single loss, a list, or a dict keyed by output
 * name), loss weights, metrics (`accuracy`/`acc` resolved to binary / categorical / sparse
 * categorical from the targets and output shape), and the log names (`loss`, `<output>_loss`,
 * `<output>_accuracy` with several outputs).
 */
import * as tf from '@tensorflow/tfjs-core';
import { ownValue } from '@strata/graph';
import { getLoss, type Loss, type LossIdentifier } from '../losses/index.js';
import { binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy } from '../losses/probabilistic.js';
import { LossFunctionWrapper } from '../losses/loss.js';
import { BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy } from '../metrics/accuracy.js';
import { Mean, Metric, getMetric, type MetricIdentifier } from '../metrics/index.js';
import { ConfigurationError, DataError, InputShapeError } from '../utils/errors.js';

/** Losses for a model: one for all outputs, one per output (list), or by output name (dict). */
export type LossSpec = LossIdentifier | (LossIdentifier | null)[] | Record<string, LossIdentifier | null>;

/** Metrics for a model: a list (single output), one entry per output (list), or by output name (dict). */
export type MetricSpec =
  | MetricIdentifier[]
  | (MetricIdentifier | MetricIdentifier[] | null)[]
  | Record<string, MetricIdentifier | MetricIdentifier[] | null>;

/** Loss weights: one number per output (list or dict) or one for all. */
export type LossWeightsSpec = number | number[] | Record<string, number>;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return (
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    Object.getPrototypeOf(v) === Object.prototype &&
    !('className' in v) &&
    !('class_name' in v)
  );
}

/** Whether targets/predictions look binary or sparse-categorical (Keras `is_binary_or_sparse_categorical`). */
function kindOf(yTrue: tf.Tensor, yPred: tf.Tensor): 'binary' | 'sparse' | 'categorical' {
  const predLast = yPred.shape[yPred.rank - 1];
  if (predLast === 1) return 'binary';
  const trueLast = yTrue.shape[yTrue.rank - 1];
  if (yTrue.rank < yPred.rank || (trueLast === 1 && (predLast ?? 0) > 1)) return 'sparse';
  return 'categorical';
}

function perOutput<T>(
  spec: T | T[] | Record<string, T> | undefined,
  outputNames: string[],
  what: string,
  isSingle: (v: unknown) => boolean,
): (T | null)[] {
  const n = outputNames.length;
  if (spec === undefined || spec === null) return outputNames.map(() => null);
  if (Array.isArray(spec) && !isSingle(spec)) {
    if (spec.length !== n) {
      throw new ConfigurationError(
        `compile: ${what} is a list of ${spec.length} but the model has ${n} output(s) [${outputNames.join(', ')}]; give one per output or a dict keyed by output name`,
      );
    }
    return spec;
  }
  if (isPlainObject(spec)) {
    const unknown = Object.keys(spec).filter((k) => !outputNames.includes(k));
    if (unknown.length > 0) {
      throw new ConfigurationError(
        `compile: ${what} has key(s) ${unknown.map((k) => `"${k}"`).join(', ')} that are not output names; outputs: ${outputNames.join(', ')}`,
      );
    }
    return outputNames.map((name) => ownValue(spec as Record<string, T>, name) ?? null);
  }
  return outputNames.map(() => spec as T);
}

function validateMetricName(identifier: MetricIdentifier): void {
  if (typeof identifier === 'string' && !['accuracy', 'acc'].includes(identifier.toLowerCase())) getMetric(identifier);
}

/** Options given to `compile` (besides the optimizer). */
export interface CompileSpec {
  loss?: LossSpec;
  metrics?: MetricSpec;
  weightedMetrics?: MetricSpec;
  lossWeights?: LossWeightsSpec;
}

/** Checks names at compile time so unknown losses/metrics fail early, before any data is seen. */
export function validateCompileSpec(spec: CompileSpec): void {
  const visitLoss = (l: unknown): void => {
    if (l === null || l === undefined) return;
    if (typeof l === 'string') {
      if (!['crossentropy', 'ce'].includes(l.toLowerCase())) getLoss(l);
    } else if (Array.isArray(l)) l.forEach(visitLoss);
    else if (isPlainObject(l)) Object.values(l).forEach(visitLoss);
    else getLoss(l as LossIdentifier);
  };
  visitLoss(spec.loss);
  const visitMetric = (m: unknown): void => {
    if (m === null || m === undefined) return;
    if (Array.isArray(m)) m.forEach(visitMetric);
    else if (isPlainObject(m)) Object.values(m).forEach(visitMetric);
    else validateMetricName(m as MetricIdentifier);
  };
  visitMetric(spec.metrics);
  visitMetric(spec.weightedMetrics);
}

interface Head {
  name: string;
  lossId: LossIdentifier | null;
  loss: Loss | null;
  weight: number;
  metricIds: MetricIdentifier[];
  weightedMetricIds: MetricIdentifier[];
  metrics: Metric[];
  weightedMetrics: Metric[];
  tracker: Mean | null;
}

/** Per-output losses and metrics of a compiled model, built on the first batch. */
export class CompiledHeads {
  /** Tracks the total loss (weighted by batch size), logged as `loss`. */
  readonly lossTracker = new Mean('loss', 'down');
  private readonly heads: Head[];
  private built = false;

  constructor(
    spec: CompileSpec,
    readonly outputNames: string[],
  ) {
    const single = (v: unknown): boolean => !Array.isArray(v);
    const losses = perOutput<LossIdentifier>(
      spec.loss as LossIdentifier | LossIdentifier[] | Record<string, LossIdentifier>,
      outputNames,
      'loss',
      (v) => !Array.isArray(v),
    );
    const weights = perOutput<number>(spec.lossWeights, outputNames, 'lossWeights', (v) => typeof v === 'number');
    const metricLists = (s: MetricSpec | undefined, what: string): MetricIdentifier[][] => {
      if (s === undefined) return outputNames.map(() => []);
      if (outputNames.length === 1) {
        if (isPlainObject(s))
          return perOutput(s as Record<string, MetricIdentifier[]>, outputNames, what, single).map((m) => toList(m));
        return [Array.isArray(s) ? (s as MetricIdentifier[]) : [s as MetricIdentifier]];
      }
      return perOutput(s as (MetricIdentifier | MetricIdentifier[] | null)[], outputNames, what, () => false).map((m) =>
        toList(m),
      );
    };
    const metrics = metricLists(spec.metrics, 'metrics');
    const weighted = metricLists(spec.weightedMetrics, 'weightedMetrics');
    if (losses.every((l) => l === null)) {
      throw new ConfigurationError(
        `compile: no loss to compute; give a loss for at least one output (outputs: ${outputNames.join(', ')})`,
      );
    }
    const lossCount = losses.filter((l) => l !== null).length;
    this.heads = outputNames.map((name, i) => ({
      name,
      lossId: losses[i] ?? null,
      loss: null,
      weight: weights[i] ?? 1,
      metricIds: metrics[i] ?? [],
      weightedMetricIds: weighted[i] ?? [],
      metrics: [],
      weightedMetrics: [],
      tracker: lossCount > 1 && losses[i] !== null ? new Mean(`${name}_loss`, 'down') : null,
    }));
  }

  /** Resolves losses and metrics from the first batch's targets and predictions. */
  build(yTrue: tf.Tensor[], yPred: tf.Tensor[]): void {
    if (this.built) return;
    const prefix = this.heads.length > 1;
    this.heads.forEach((head, i) => {
      const t = yTrue[i]!;
      const p = yPred[i]!;
      head.loss = head.lossId === null ? null : resolveLoss(head.lossId, t, p);
      const make = (id: MetricIdentifier): Metric => {
        const m = resolveMetric(id, t, p);
        if (prefix) m.name = `${head.name}_${m.name}`;
        return m;
      };
      head.metrics = head.metricIds.map(make);
      const taken = new Set(head.metrics.map((m) => m.name));
      head.weightedMetrics = head.weightedMetricIds.map((id) => {
        const m = make(id);
        if (taken.has(m.name))
          m.name = prefix ? m.name.replace(`${head.name}_`, `${head.name}_weighted_`) : `weighted_${m.name}`;
        return m;
      });
    });
    this.built = true;
  }

  /** Total loss (per-output losses times their weights, summed) and the unweighted per-output losses. */
  computeLoss(
    yTrue: tf.Tensor[],
    yPred: tf.Tensor[],
    sampleWeight: (tf.Tensor | null)[] | null,
  ): { total: tf.Scalar; perOutput: tf.Scalar[] } {
    this.build(yTrue, yPred);
    const perOutput: tf.Scalar[] = [];
    let total: tf.Scalar | null = null;
    this.heads.forEach((head, i) => {
      if (head.loss === null) return;
      let value: tf.Scalar;
      try {
        value = head.loss.apply(yTrue[i]!, yPred[i]!, sampleWeight?.[i] ?? null) as tf.Scalar;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        // Same kind as the loss's own error (a shape mismatch stays a ShapeError), with the output named.
        const Kind = error instanceof InputShapeError ? InputShapeError : DataError;
        throw new Kind(`Output "${head.name}", loss "${head.loss.name}": ${message}`);
      }
      if (head.tracker !== null) perOutput.push(value);
      const weighted = head.weight === 1 ? value : (tf.mul(value, head.weight) as tf.Scalar);
      total = total === null ? weighted : (tf.add(total, weighted) as tf.Scalar);
    });
    return { total: total!, perOutput };
  }

  /** Whether the next training step must first run the objective outside a gradient tape. */
  private needsCheck = true;

  /**
   * Runs `check` on the first training step after {@link CompiledHeads.recheck} (and the very first):
   * the step then computes the objective once without a gradient tape, so a target/loss mismatch
   * fails where TF.js frees everything instead of inside `variableGrads`, which would leak.
   */
  checkOnce(check: () => void): void {
    if (!this.needsCheck) return;
    check();
    this.needsCheck = false;
  }

  /** Asks for the check again (each `fit` does: its data may not match the last one). */
  recheck(): void {
    this.needsCheck = true;
  }

  /**
   * Checks integer targets of sparse crossentropy heads against the number of classes, once
   * for all the data (Keras's TensorFlow backend raises for labels outside [0, classes)).
   */
  checkSparseLabels(yTrue: tf.Tensor[], outputShapes: readonly (readonly (number | null)[])[]): void {
    this.heads.forEach((head, i) => {
      const id = head.lossId;
      const loss =
        head.loss ??
        (id === null
          ? null
          : typeof id === 'string' && ['crossentropy', 'ce'].includes(id.toLowerCase())
            ? null
            : getLoss(id));
      if (loss === null || loss.name !== 'sparse_categorical_crossentropy') return;
      const classes = outputShapes[i]?.[outputShapes[i]!.length - 1];
      const y = yTrue[i];
      if (typeof classes !== 'number' || y === undefined || y.size === 0) return;
      const ignore = (loss.getConfig()['ignore_class'] ?? null) as number | null;
      const range = tf.tidy(() => {
        const labels = ignore === null ? y : tf.where(tf.equal(y, ignore), tf.zerosLike(y), y);
        return tf.stack([tf.min(labels), tf.max(labels)]);
      });
      const [min, max] = range.dataSync();
      range.dispose();
      const bad = min! < 0 ? min! : max! >= classes ? max! : null;
      if (bad !== null) {
        throw new DataError(
          `Output "${head.name}", loss "sparse_categorical_crossentropy": label value ${bad} is outside the valid range [0, ${classes})`,
        );
      }
    });
  }

  /** Batch statistics of every metric, in `metricsInOrder` order (after the loss trackers). */
  metricStatistics(yTrue: tf.Tensor[], yPred: tf.Tensor[], sampleWeight: (tf.Tensor | null)[] | null): tf.Tensor1D[] {
    const stats: tf.Tensor1D[] = [];
    this.heads.forEach((head, i) => {
      for (const m of head.metrics) stats.push(m.batchStatistics(yTrue[i]!, yPred[i]!, null));
      for (const m of head.weightedMetrics)
        stats.push(m.batchStatistics(yTrue[i]!, yPred[i]!, sampleWeight?.[i] ?? null));
    });
    return stats;
  }

  /** Per-output loss trackers (only with several losses). */
  get outputLossTrackers(): Mean[] {
    return this.heads.flatMap((h) => (h.tracker === null ? [] : [h.tracker]));
  }

  /** Compiled metrics (unweighted then weighted, per output). */
  get compiledMetrics(): Metric[] {
    return this.heads.flatMap((h) => [...h.metrics, ...h.weightedMetrics]);
  }

  /** All metrics in Keras's order: loss, compiled metrics, per-output losses. */
  get metricsInOrder(): Metric[] {
    return [this.lossTracker, ...this.compiledMetrics, ...this.outputLossTrackers];
  }

  /** Resets every metric (start of an epoch or evaluation). */
  resetState(): void {
    for (const m of this.metricsInOrder) m.resetState();
  }

  /** Current results keyed by name, in sorted key order (as Keras's logs come out of a compiled step). */
  results(): Record<string, number> {
    const entries = this.metricsInOrder.map((m) => [m.name, m.result()] as const);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries);
  }
}

function toList(m: MetricIdentifier | MetricIdentifier[] | null | undefined): MetricIdentifier[] {
  if (m === null || m === undefined) return [];
  return Array.isArray(m) ? m : [m];
}

function resolveLoss(id: LossIdentifier, yTrue: tf.Tensor, yPred: tf.Tensor): Loss {
  if (typeof id === 'string' && ['crossentropy', 'ce'].includes(id.toLowerCase())) {
    const kind = kindOf(yTrue, yPred);
    const fn =
      kind === 'binary'
        ? binaryCrossentropy
        : kind === 'sparse'
          ? sparseCategoricalCrossentropy
          : categoricalCrossentropy;
    return new LossFunctionWrapper((t, p) => fn(t, p), { name: id });
  }
  return getLoss(id);
}

function resolveMetric(id: MetricIdentifier, yTrue: tf.Tensor, yPred: tf.Tensor): Metric {
  if (typeof id === 'string' && ['accuracy', 'acc'].includes(id.toLowerCase())) {
    const kind = kindOf(yTrue, yPred);
    if (kind === 'binary') return new BinaryAccuracy({ name: id });
    if (kind === 'sparse') return new SparseCategoricalAccuracy({ name: id });
    return new CategoricalAccuracy({ name: id });
  }
  return getMetric(id);
}

/**
 * `mcPredict(model, x, {samples, seed, batchSize})`: Monte-Carlo dropout (Gal & Ghahramani,
 * "Dropout as a Bayesian Approximation", ICML 2016) — average several stochastic forward passes
 * with dropout on to estimate predictive uncertainty. Only the dropout-family layers run in
 * training mode; BatchNormalization and everything else stay in inference mode, which avoids
 * the classic pitfall of `model(x, training=True)` (batch statistics, moving averages updated) —
 * and nothing is baked into the graph as a `training: true` call kwarg (lint rule `dropout-always-active`).
 */
import { tf, type DataInput, type Layer, type Model } from '../core-api.js';
import { findDropoutLayers, withTrainingOverride } from './stochastic-layers.js';

/** Options of {@link mcPredict}. */
export interface McPredictOptions {
  /** Number of stochastic passes [30]. */
  samples?: number;
  /** Makes the passes reproducible: the dropout layers draw from streams derived from it [layers' own streams]. */
  seed?: number | null;
  /** Batch size of each pass [32]. */
  batchSize?: number;
  /** Also return every pass, stacked on a new first axis [false]. */
  returnSamples?: boolean;
  /**
   * Predictive entropy of the mean prediction: `'auto'` computes it when the outputs look like
   * class probabilities (values in [0, 1] summing to 1 over the last axis), `true` always
   * (last axis 1 → binary entropy), `false` never ['auto'].
   */
  entropy?: boolean | 'auto';
  /** Custom stochastic layers to switch on too (e.g. a layer with its own noise). */
  isStochastic?: (layer: Layer) => boolean;
}

/** What {@link mcPredict} returns; the caller disposes the tensors. */
export interface McPredictResult {
  /** Mean over the passes. */
  mean: tf.Tensor;
  /** Standard deviation over the passes (population, `ddof = 0`). */
  std: tf.Tensor;
  /** Predictive entropy `−Σ p̄ log p̄` per sample (natural log), for probability outputs. */
  entropy?: tf.Tensor;
  /** Mutual information (BALD): entropy of the mean minus the mean entropy of the passes. */
  mutualInformation?: tf.Tensor;
  /** Every pass, `[samples, ...outputShape]`, with `returnSamples`. */
  samples?: tf.Tensor;
  /** Names of the layers that ran in training mode. */
  activeLayers: string[];
}

const EPSILON = 1e-7;

function entropyOf(p: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const clipped = tf.clipByValue(p, EPSILON, 1);
    if (p.shape[p.shape.length - 1] === 1) {
      const q = tf.clipByValue(tf.sub(1, p), EPSILON, 1);
      return tf.squeeze(tf.neg(tf.add(tf.mul(p, tf.log(clipped)), tf.mul(tf.sub(1, p), tf.log(q)))), [-1]);
    }
    return tf.neg(tf.sum(tf.mul(p, tf.log(clipped)), -1));
  });
}

function looksLikeProbabilities(mean: tf.Tensor): boolean {
  if (mean.shape[mean.shape.length - 1]! < 2) return false;
  return tf.tidy(() => {
    const inRange = tf.all(tf.logicalAnd(tf.greaterEqual(mean, 0), tf.lessEqual(mean, 1))).dataSync()[0] === 1;
    const sumsToOne = tf.max(tf.abs(tf.sub(tf.sum(mean, -1), 1))).dataSync()[0]! < 1e-3;
    return inRange && sumsToOne;
  });
}

/**
 * Runs `samples` stochastic passes of a single-output model with only its dropout-family layers
 * active (Dropout, SpatialDropout*, Gaussian*, AlphaDropout, DropBlock2D, StochasticDepth,
 * DropConnectDense, RNN dropout) and returns mean and standard deviation (and, for probability
 * outputs, the predictive entropy and mutual information). The model is not changed: the
 * override is undone afterwards, and layers in inference mode update no state.
 *
 * @throws when the model has no dropout-family layer (every pass would be identical) or several outputs
 *
 * @example
 * ```ts
 * const { mean, std, entropy } = mcPredict(model, xTest, { samples: 30, seed: 1 });
 * tf.max(std).print(); // the largest spread over the passes
 * tf.dispose([mean, std, ...(entropy ? [entropy] : [])]);
 * ```
 */
export function mcPredict(model: Model, x: DataInput, options: McPredictOptions = {}): McPredictResult {
  const samples = options.samples ?? 30;
  if (!Number.isInteger(samples) || samples < 1)
    throw new Error(`mcPredict: samples must be a positive integer, got ${String(samples)}`);
  const active = findDropoutLayers(model, options.isStochastic);
  if (active.length === 0) {
    throw new Error(
      `mcPredict: model "${model.name}" has no dropout-family layer (Dropout, SpatialDropout*, GaussianDropout, DropBlock2D, RNN dropout, …); every pass would be the same`,
    );
  }
  const wantEntropy = options.entropy ?? 'auto';
  return withTrainingOverride(
    active,
    () => {
      let mean: tf.Tensor | null = null;
      let m2: tf.Tensor | null = null;
      let entropySum: tf.Tensor | null = null;
      const kept: tf.Tensor[] = [];
      let trackEntropy = wantEntropy === true;
      try {
        for (let s = 0; s < samples; s++) {
          const out = model.predict(x, { batchSize: options.batchSize, verbose: 0 });
          if (Array.isArray(out)) {
            tf.dispose(out);
            throw new Error(
              `mcPredict: model "${model.name}" has ${out.length} outputs; mcPredict supports single-output models`,
            );
          }
          const prevMean: tf.Tensor | null = mean;
          const prevM2: tf.Tensor | null = m2;
          // Welford's running mean and sum of squared deviations: stable in float32.
          [mean, m2] = tf.tidy((): [tf.Tensor, tf.Tensor] => {
            if (prevMean === null) return [out.clone(), tf.zerosLike(out)];
            const delta = tf.sub(out, prevMean);
            const nextMean: tf.Tensor = tf.add(prevMean, tf.div(delta, s + 1));
            return [nextMean, tf.add(prevM2!, tf.mul(delta, tf.sub(out, nextMean)))];
          });
          tf.dispose([prevMean, prevM2].filter((t): t is tf.Tensor => t !== null));
          // 'auto': decided on the first pass, so regression outputs cost nothing extra.
          if (s === 0 && wantEntropy === 'auto') trackEntropy = looksLikeProbabilities(out);
          if (trackEntropy) {
            const previous: tf.Tensor | null = entropySum;
            entropySum = tf.tidy((): tf.Tensor => {
              const e = entropyOf(tf.clipByValue(out, 0, 1));
              return previous === null ? e : tf.add(previous, e);
            });
            previous?.dispose();
          }
          if (options.returnSamples === true) kept.push(out);
          else out.dispose();
        }
        const finalMean = mean!;
        const std = tf.tidy(() => tf.sqrt(tf.div(m2!, samples)));
        const result: McPredictResult = { mean: finalMean, std, activeLayers: active.map((l) => l.name) };
        if (trackEntropy && (wantEntropy === true || looksLikeProbabilities(finalMean))) {
          result.entropy = entropyOf(finalMean);
          result.mutualInformation = tf.tidy(() =>
            tf.maximum(tf.sub(result.entropy!, tf.div(entropySum!, samples)), 0),
          );
        }
        if (options.returnSamples === true) result.samples = tf.stack(kept);
        mean = null;
        return result;
      } finally {
        tf.dispose([mean, m2, entropySum, ...kept].filter((t): t is tf.Tensor => t !== null));
      }
    },
    options.seed ?? null,
  );
}

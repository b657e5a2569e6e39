/**
 * Keras conformance, training: the manifest's `training` runs (`../shared/keras3-golden/train/`).
 * From Keras's initial model, Strata compiles with the stored optimizer config and loss, fits with
 * the stored arguments (batch size 8, one epoch, no shuffle: 5 steps), and must reproduce
 * Keras's loss after every step (Keras logs the running mean of the epoch so far) and its final
 * weights, in `model.weights` order, within 1e-6.
 */
import { callbacks, loadModel, tf, type Model } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { HAVE_GOLDENS, SKIP_REASON, goldenPath, maxAbsDiff, npyTensor, readManifest, readNpy } from './manifest.js';

const manifest = readManifest();
if (!HAVE_GOLDENS) console.warn(SKIP_REASON);

/** Weights and per-step losses must agree this closely (float32 arithmetic on both sides). */
const TOLERANCE = 1e-6;

describe.skipIf(!HAVE_GOLDENS)(
  `Keras 3 training goldens: same steps, same weights${HAVE_GOLDENS ? '' : ' — SKIPPED, ../shared/keras3-golden absent'}`,
  () => {
    it('the manifest lists training runs', () => {
      expect(manifest.training.length).toBeGreaterThan(0);
    });

    it.each(manifest.training)('$name: $optimizer.class_name $optimizer.config, $loss', async (run) => {
      const before = tf.memory().numTensors;
      const model: Model = await loadModel(goldenPath(run.init_model), { compile: false });
      model.compile({
        optimizer: { className: run.optimizer.class_name, config: run.optimizer.config },
        loss: run.loss,
      });
      const [x, y] = [npyTensor(run.x), npyTensor(run.y)];
      const losses: number[] = [];
      await model.fit(x, y, {
        batchSize: run.fit.batch_size,
        epochs: run.fit.epochs,
        shuffle: run.fit.shuffle,
        verbose: 0,
        callbacks: [
          new callbacks.LambdaCallback({ onTrainBatchEnd: (_batch, logs) => void losses.push(logs?.['loss'] ?? NaN) }),
        ],
      });
      expect(losses).toHaveLength(run.fit.steps);
      expect(model.optimizer.iterations).toBe(run.keras_optimizer_iterations);
      const lossDiff = maxAbsDiff(losses, run.keras_running_mean_loss_after_each_step);
      const weights = model.weights;
      expect(weights).toHaveLength(run.final_weights.length);
      const weightDiffs = run.final_weights.map((w, i) => {
        expect(weights[i]!.shape).toEqual(w.shape);
        return maxAbsDiff(weights[i]!.value.dataSync(), readNpy(w.file).data);
      });
      console.log(
        `[keras-golden] ${run.name}: loss max abs diff ${lossDiff.toExponential(2)}, weights max abs diff ${Math.max(...weightDiffs).toExponential(2)} ` +
          `(Strata losses ${losses.map((l) => l.toFixed(7)).join(', ')})`,
      );
      expect(lossDiff).toBeLessThanOrEqual(TOLERANCE);
      for (const d of weightDiffs) expect(d).toBeLessThanOrEqual(TOLERANCE);
      tf.dispose([x, y]);
      model.dispose(); // frees the optimizer's slot variables too
      expect(tf.memory().numTensors).toBe(before);
    });
  },
);

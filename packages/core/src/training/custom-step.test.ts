import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import type { Logs } from '../callbacks/callback.js';
import type { Batch } from '../data/arrays.js';
import { Input } from '../engine/input-layer.js';
import { Layer, type CallContext } from '../engine/layer.js';
import type { TensorOrList } from '../engine/shape-utils.js';
import { Model } from '../engine/model.js';
import { Dense } from '../layers/core/dense.js';
import { Mean, type Metric } from '../metrics/index.js';
import { SGD } from '../optimizers/sgd.js';
import { GradientTape, computeGradients } from './gradient-tape.js';
import { zeroModel } from './test-models.test-suite.js';

/** A model trained by a hand-written step: mean squared error, plus a tracker of the mean prediction. */
class CustomModel extends Model {
  readonly lossTracker = new Mean('loss');
  readonly predTracker = new Mean('mean_prediction');
  steps = 0;

  override get metrics(): Metric[] {
    return [this.lossTracker, this.predTracker];
  }

  override trainStep(data: Batch): Logs {
    this.steps++;
    const [x] = data.x;
    const [y] = data.y;
    const tape = new GradientTape();
    try {
      const { loss, pred } = tape.record(() => {
        const pred = this.call(x!, { training: true, mask: null }) as tf.Tensor;
        return { loss: tf.losses.meanSquaredError(y!, pred) as tf.Scalar, pred };
      });
      this.optimizer.applyGradients(tape.gradient(loss, this.trainableWeights), this.trainableWeights);
      this.lossTracker.updateState(loss);
      this.predTracker.updateState(pred);
    } finally {
      tape.dispose();
    }
    return { loss: this.lossTracker.result(), mean_prediction: this.predTracker.result() };
  }
}

function customModel(): CustomModel {
  const input = Input([1]);
  const output = new Dense(1, { kernelInitializer: 'zeros', biasInitializer: 'zeros' }).apply(input);
  return new CustomModel(input, output);
}

describe('custom training (trainStep override, GradientTape, trackers)', () => {
  it('fit runs the overridden trainStep; logs come from its trackers, reset each epoch; no leaks', async () => {
    const model = customModel();
    model.compile({ optimizer: new SGD({ learningRate: 0.1 }) });
    const x = tf.ones([8, 1]);
    const y = tf.fill([8, 1], 2);
    const before = tf.memory().numTensors;
    const history = await model.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0 });
    expect(model.steps).toBe(6);
    expect(Object.keys(history.history)).toEqual(['loss', 'mean_prediction']);
    const losses = history.history['loss']!;
    expect(losses[2]!).toBeLessThan(losses[0]!);
    // Epoch 1 starts at 0 predictions: loss 4 on the first batch; a reset tracker per epoch means
    // the first epoch's mean loss is below 4 and the last epoch's is far lower.
    expect(losses[0]!).toBeLessThan(4);
    expect(losses[0]!).toBeGreaterThan(1);
    expect(model.metricsNames).toEqual(['loss', 'mean_prediction']);
    expect(tf.memory().numTensors).toBe(before + 0);
    tf.dispose([x, y]);
  });

  it('fit without targets (y null) reaches a custom trainStep with data.y empty', async () => {
    class Autoencoder extends Model {
      readonly tracker = new Mean('loss');
      override get metrics(): Metric[] {
        return [this.tracker];
      }
      override trainStep(data: Batch): Logs {
        expect(data.y).toEqual([]);
        const [x] = data.x;
        const tape = new GradientTape();
        try {
          const loss = tape.record(
            () =>
              tf.losses.meanSquaredError(x!, this.call(x!, { training: true, mask: null }) as tf.Tensor) as tf.Scalar,
          );
          this.optimizer.applyGradients(tape.gradient(loss, this.trainableWeights), this.trainableWeights);
          this.tracker.updateState(loss);
        } finally {
          tape.dispose();
        }
        return { loss: this.tracker.result() };
      }
    }
    const input = Input([2]);
    const model = new Autoencoder(input, new Dense(2).apply(input));
    model.compile({ optimizer: new SGD({ learningRate: 0.2 }) });
    const x = tf.tensor2d([
      [1, 0],
      [0, 1],
      [1, 1],
      [0.5, 0.2],
    ]);
    // As Keras's fit(x, epochs=…): the options may come second when there are no targets.
    const history = await model.fit(x, { epochs: 20, batchSize: 2, verbose: 0 });
    const losses = history.history['loss']!;
    expect(losses[19]!).toBeLessThan(losses[0]!);
    expect((await model.fit(x, null, { epochs: 2, verbose: 0 })).epoch).toEqual([0, 1]);
    // The built-in step needs a compiled loss and targets.
    const plain = zeroModel(2);
    plain.compile({ optimizer: 'sgd' });
    await expect(plain.fit(x, null, { verbose: 0 })).rejects.toThrow(/no loss to compute/);
    x.dispose();
  });

  it('GradientTape matches computeGradients and the analytic gradient; misuse fails clearly', () => {
    const w = tf.variable(tf.tensor1d([3]));
    const tape = new GradientTape();
    const loss = tape.record(() => tf.sum(tf.square(w)) as tf.Scalar);
    const [g] = tape.gradient(loss, [w]);
    expect(Array.from(g!.dataSync())).toEqual([6]);
    expect(() => tape.gradient(tf.scalar(1), [w])).toThrow(/the target must be the loss returned by tape.record/);
    expect(() => tape.record(() => tf.scalar(0))).toThrow(/record\(\) runs once per tape/);
    tape.dispose();
    const { value, grads } = computeGradients(() => tf.sum(tf.mul(w, 2)) as tf.Scalar, [w]);
    expect(value.dataSync()[0]).toBe(6);
    expect(Array.from(grads[0]!.dataSync())).toEqual([2]);
    tf.dispose([value, ...grads.filter((t): t is tf.Tensor => t !== null)]);
    expect(() => new GradientTape().record(() => tf.mul(w, 1) as unknown as tf.Scalar)).toThrow(
      /the loss must be a scalar tensor, got shape \[1\]/,
    );
    w.dispose();
  });

  it('addedLoss() inside record sums the losses layers add (addLoss)', () => {
    class Penalized extends Layer {
      static override readonly className = 'Penalized';
      override call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
        const x = inputs as tf.Tensor;
        this.addLoss(tf.mul(tf.sum(x), 10));
        return x;
      }
    }
    const layer = new Penalized();
    const w = tf.variable(tf.tensor2d([[1, 2]]));
    const tape = new GradientTape();
    const loss = tape.record(() => {
      layer.apply(w as tf.Tensor);
      return tape.addedLoss();
    });
    expect(loss.dataSync()[0]).toBe(30);
    expect(Array.from(tape.gradient(loss, [w])[0]!.dataSync())).toEqual([10, 10]);
    tape.dispose();
    w.dispose();
  });

  it('applyGradients(grads, variables) skips null gradients and checks the counts', () => {
    const model = zeroModel();
    const opt = new SGD({ learningRate: 1 });
    const [kernel, bias] = model.trainableWeights;
    const g = tf.ones([1, 1]);
    opt.applyGradients([g, null], [kernel!, bias!]);
    expect(Array.from(kernel!.value.dataSync())).toEqual([-1]);
    expect(Array.from(bias!.value.dataSync())).toEqual([0]);
    expect(() => opt.applyGradients([g], [kernel!, bias!])).toThrow(/got 1 gradient\(s\) for 2 variable\(s\)/);
    g.dispose();
    model.dispose();
  });
});

import { describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { SGD } from '../optimizers/sgd.js';
import { Adam } from '../optimizers/adam.js';
import { LambdaCallback } from '../callbacks/simple.js';
import { mlp, regressionData, twoHeadModel, zeroModel } from './test-models.test-suite.js';

describe('fit', () => {
  it('lowers the loss; History has Keras keys, epochs and params', async () => {
    const { x, y } = regressionData();
    const model = mlp();
    model.compile({ optimizer: new Adam({ learningRate: 0.05 }), loss: 'mse', metrics: ['mae'] });
    const history = await model.fit(x, y, { epochs: 12, batchSize: 16, verbose: 0 });
    expect(Object.keys(history.history)).toEqual(['loss', 'mae']);
    expect(history.epoch).toEqual([...Array(12).keys()]);
    expect(history.params).toEqual({ epochs: 12, steps: 3, verbose: 0 });
    const losses = history.history['loss']!;
    expect(losses[11]!).toBeLessThan(losses[0]! * 0.5);
    expect(model.history).toBe(history);
  });

  it('reports epoch metrics as running means weighted by batch size (uneven last batch)', async () => {
    const { x, y } = regressionData(10);
    const model = mlp();
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mse', metrics: ['mae'] });
    const pred = model.predict(x, { verbose: 0 }) as tf.Tensor;
    const mse = tf.mean(tf.square(tf.sub(pred, y))).dataSync()[0]!;
    const mae = tf.mean(tf.abs(tf.sub(pred, y))).dataSync()[0]!;
    const history = await model.fit(x, y, { batchSize: 4, verbose: 0 });
    expect(history.history['loss']![0]).toBeCloseTo(mse, 5);
    expect(history.history['mae']![0]).toBeCloseTo(mae, 5);
    const [loss, evalMae] = (await model.evaluate(x, y, { batchSize: 3, verbose: 0 })) as number[];
    expect(loss).toBeCloseTo(mse, 5);
    expect(evalMae).toBeCloseTo(mae, 5);
    expect(model.metricsNames).toEqual(['loss', 'mae']);
  });

  it('validationSplit holds out the LAST fraction before shuffling and logs val_*', async () => {
    // First 6 samples have target 0, the last 2 target 10; the model predicts 0 and lr is 0.
    const x = tf.ones([8, 1]);
    const y = tf.tensor2d([0, 0, 0, 0, 0, 0, 10, 10], [8, 1]);
    const model = zeroModel();
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mse', metrics: ['mae'] });
    const history = await model.fit(x, y, { validationSplit: 0.25, epochs: 2, shuffle: true, verbose: 0 });
    expect(Object.keys(history.history)).toEqual(['loss', 'mae', 'val_loss', 'val_mae']);
    expect(history.history['loss']).toEqual([0, 0]);
    expect(history.history['val_loss']).toEqual([100, 100]);
    expect(history.history['val_mae']).toEqual([10, 10]);
  });

  it('validationData gives val_* logs', async () => {
    const model = zeroModel();
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mae' });
    const history = await model.fit([[1], [2]], [[1], [1]], { validationData: [[[1]], [[3]]], verbose: 0 });
    expect(history.history).toEqual({ loss: [1], val_loss: [3] });
  });

  it('classWeight and sampleWeight weight the loss as computed by hand', async () => {
    const model = zeroModel();
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    const x = tf.ones([4, 1]);
    // predictions are 0, so per-sample mse = y²: [1, 0, 1, 0]; class 1 weighs 3 → (3 + 3) / 4
    const y = tf.tensor2d([1, 0, 1, 0], [4, 1]);
    const withClass = await model.fit(x, y, { classWeight: { 0: 1, 1: 3 }, batchSize: 4, verbose: 0 });
    expect(withClass.history['loss']![0]).toBeCloseTo(1.5, 6);
    // sample weights 1..4 on y = 1: (1 + 2 + 3 + 4) / 4, also over batches of 2
    const ones = tf.ones([4, 1]);
    const withSamples = await model.fit(x, ones, {
      sampleWeight: [1, 2, 3, 4],
      batchSize: 2,
      shuffle: false,
      verbose: 0,
    });
    expect(withSamples.history['loss']![0]).toBeCloseTo(2.5, 6);
    const evaluated = await model.evaluate(x, ones, { sampleWeight: tf.tensor1d([0, 0, 0, 4]), verbose: 0 });
    expect(evaluated).toBeCloseTo(1, 6);
    await expect(model.fit(x, y, { classWeight: { 0: 1 }, sampleWeight: [1, 1, 1, 1], verbose: 0 })).rejects.toThrow(
      /either classWeight or sampleWeight/,
    );
  });

  it('adds weight-regularization penalties to the loss and applies constraints after the step', async () => {
    const model = zeroModel(2, {
      kernelInitializer: 'ones',
      kernelRegularizer: { className: 'L2', config: { l2: 0.5 } },
    });
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    // prediction = x·[1, 1] = 2 for x = [1, 1], target 2 → mse 0; penalty 0.5 * (1 + 1) = 1
    expect(await model.evaluate([[1, 1]], [[2]], { verbose: 0 })).toBeCloseTo(1, 6);
    const constrained = zeroModel(1, { kernelInitializer: 'ones', kernelConstraint: 'non_neg' });
    constrained.compile({ optimizer: new SGD({ learningRate: 10 }), loss: 'mse' });
    await constrained.fit([[1], [2]], [[-5], [-10]], { epochs: 2, verbose: 0 });
    expect(Math.min(...constrained.layers[0]!.weights[0]!.value.dataSync())).toBeGreaterThanOrEqual(0);
  });

  it('adds activity-regularization losses collected during the forward pass', async () => {
    const model = zeroModel(1, {
      biasInitializer: 'ones',
      activityRegularizer: { className: 'L1', config: { l1: 0.5 } },
    });
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    // outputs are all 1 = targets; penalty 0.5 * sum(|1|) over the batch, divided by the batch size
    expect(await model.evaluate([[3], [4], [5], [6]], [[1], [1], [1], [1]], { verbose: 0 })).toBeCloseTo(0.5, 6);
    const history = await model.fit([[3], [4]], [[1], [1]], { verbose: 0 });
    expect(history.history['loss']![0]).toBeCloseTo(0.5, 6);
  });

  it('stops after the current batch when stopTraining is set', async () => {
    const { x, y } = regressionData(32);
    const model = mlp();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    let batches = 0;
    const stopper = new LambdaCallback({
      onTrainBatchEnd: (batch) => {
        batches += 1;
        if (batch === 1) model.stopTraining = true;
      },
    });
    const history = await model.fit(x, y, { epochs: 5, batchSize: 8, callbacks: [stopper], verbose: 0 });
    expect(batches).toBe(2);
    expect(history.epoch).toEqual([0]);
  });

  it('builds a Sequential model without an input shape from the first data it sees', async () => {
    const { Sequential } = await import('../engine/sequential.js');
    const { Dense } = await import('../layers/core/dense.js');
    const model = new Sequential([new Dense(3, { activation: 'softmax' })]);
    model.compile({ loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const history = await model.fit(tf.ones([6, 2]), [0, 1, 2, 0, 1, 2], { verbose: 0 });
    expect(Object.keys(history.history)).toEqual(['accuracy', 'loss']);
    expect(model.inputs[0]!.shape).toEqual([null, 2]);
  });

  it('stepsPerEpoch and initialEpoch', async () => {
    const { x, y } = regressionData(8);
    const model = mlp();
    model.compile({ loss: 'mse' });
    let batches = 0;
    const history = await model.fit(x, y, {
      epochs: 3,
      initialEpoch: 1,
      batchSize: 4,
      stepsPerEpoch: 5,
      callbacks: [new LambdaCallback({ onTrainBatchEnd: () => void (batches += 1) })],
      verbose: 0,
    });
    expect(history.epoch).toEqual([1, 2]);
    expect(batches).toBe(10);
  });
});

describe('several inputs and outputs', () => {
  it('takes losses, metrics and weights by output name and logs <output>_loss / <output>_<metric>', async () => {
    const model = twoHeadModel();
    model.compile({
      optimizer: new SGD({ learningRate: 0 }),
      loss: { a: 'mse', b: 'mae' },
      metrics: { a: ['mae'] },
      lossWeights: { a: 1, b: 0.5 },
    });
    const x = { left: tf.ones([4, 2]), right: tf.ones([4, 1]) };
    const y = [tf.fill([4, 1], 2), tf.fill([4, 1], -3)];
    const history = await model.fit(x, y, { verbose: 0 });
    expect(Object.keys(history.history)).toEqual(['a_loss', 'a_mae', 'b_loss', 'loss']);
    expect(history.history['a_loss']![0]).toBeCloseTo(4, 6);
    expect(history.history['b_loss']![0]).toBeCloseTo(3, 6);
    expect(history.history['loss']![0]).toBeCloseTo(4 + 0.5 * 3, 6);
    expect(model.metricsNames).toEqual(['loss', 'a_mae', 'a_loss', 'b_loss']);
    expect(await model.evaluate([tf.ones([4, 2]), tf.ones([4, 1])], y, { verbose: 0 })).toEqual([5.5, 2, 4, 3]);
    const out = model.predict(x, { verbose: 0 }) as tf.Tensor[];
    expect(out.map((t) => t.shape)).toEqual([
      [4, 1],
      [4, 1],
    ]);
  });

  it('sample weights apply to every output, or per output by list or dict', async () => {
    const model = twoHeadModel();
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    const x = [tf.ones([4, 2]), tf.ones([4, 1])];
    // predictions are 0: per-sample losses are 4 for output a, 9 for output b
    const y = { a: tf.fill([4, 1], 2), b: tf.fill([4, 1], -3) };
    const shared = (await model.evaluate(x, y, { sampleWeight: [1, 1, 1, 3], verbose: 0, returnDict: true })) as Record<
      string,
      number
    >;
    expect(shared).toEqual({ a_loss: 6, b_loss: 13.5, loss: 19.5 });
    const byName = (await model.evaluate(x, y, {
      sampleWeight: { a: [0, 0, 1, 1] },
      verbose: 0,
      returnDict: true,
    })) as Record<string, number>;
    expect(byName).toEqual({ a_loss: 2, b_loss: 9, loss: 11 });
    const byList = await model.fit(x, y, { sampleWeight: [null, tf.tensor1d([2, 2, 0, 0])], verbose: 0 });
    expect(byList.history['b_loss']).toEqual([9]);
    await expect(model.evaluate(x, y, { sampleWeight: { c: [1, 1, 1, 1] }, verbose: 0 })).rejects.toThrow(
      /unknown output name\(s\) c; outputs: a, b/,
    );
  });

  it('a list of losses must have one per output', () => {
    const model = twoHeadModel();
    model.compile({ loss: ['mse'] });
    return expect(
      model.fit([tf.ones([2, 2]), tf.ones([2, 1])], [tf.ones([2, 1]), tf.ones([2, 1])], { verbose: 0 }),
    ).rejects.toThrow(/loss is a list of 1 but the model has 2 output\(s\) \[a, b\]/);
  });
});

describe('compile', () => {
  it('resolves "accuracy" to binary / sparse categorical / categorical as Keras', async () => {
    const { Sequential } = await import('../engine/sequential.js');
    const { Input } = await import('../engine/input-layer.js');
    const { Dense } = await import('../layers/core/dense.js');
    const classify = async (units: number, loss: string, y: tf.Tensor): Promise<string> => {
      const model = new Sequential([Input([2]), new Dense(units, { activation: units === 1 ? 'sigmoid' : 'softmax' })]);
      model.compile({ loss, metrics: ['accuracy'] });
      model.trainOnBatch(tf.ones([2, 2]), y);
      return model.metrics[1]!.className;
    };
    expect(await classify(1, 'binary_crossentropy', tf.tensor2d([[0], [1]]))).toBe('BinaryAccuracy');
    expect(await classify(3, 'sparse_categorical_crossentropy', tf.tensor1d([0, 2]))).toBe('SparseCategoricalAccuracy');
    expect(await classify(3, 'sparse_categorical_crossentropy', tf.tensor2d([[0], [2]]))).toBe(
      'SparseCategoricalAccuracy',
    );
    expect(await classify(3, 'categorical_crossentropy', tf.oneHot([0, 2], 3))).toBe('CategoricalAccuracy');
  });

  it('defaults to rmsprop and rejects unknown names with the valid choices', () => {
    const model = zeroModel();
    model.compile({ loss: 'mse' });
    expect(model.optimizer.className).toBe('RMSprop');
    expect(model.loss).toBe('mse');
    expect(() => model.compile({ loss: 'mean_sqaured_error' })).toThrow(
      /Unknown loss "mean_sqaured_error"; valid choices: .*mse/,
    );
    expect(() => model.compile({ loss: 'mse', metrics: ['acuracy'] })).toThrow(
      /Unknown metric "acuracy"; valid choices: acc, .*accuracy/,
    );
    expect(() => model.compile({ optimizer: 'adamax', loss: 'mse' })).toThrow(
      /valid choices: sgd, adam, adamw, rmsprop, adagrad/,
    );
    expect(() => zeroModel().predict([[1]], { verbose: 0 })).not.toThrow();
    return expect(zeroModel().fit([[1]], [[1]], { verbose: 0 })).rejects.toThrow(/call compile\(\) before fit\(\)/);
  });

  it('trainOnBatch / testOnBatch / predictOnBatch', () => {
    const model = zeroModel();
    model.compile({ optimizer: new SGD({ learningRate: 0.5 }), loss: 'mse', metrics: ['mae'] });
    expect(model.testOnBatch([[1]], [[2]])).toEqual([4, 2]);
    // d(mse)/dw = -2 * (2 - 0) * 1 = -4 → w = 2, b = 2 after one step
    expect(model.trainOnBatch([[1]], [[2]])).toEqual([4, 2]);
    expect(model.testOnBatch([[1]], [[2]], { returnDict: true })).toEqual({ loss: 4, mae: 2 });
    const out = model.predictOnBatch([[1]]) as tf.Tensor;
    expect(out.dataSync()[0]).toBeCloseTo(4, 6);
  });
});

describe('gradients', () => {
  it('the trainer step uses the exact loss gradient (finite differences, rel. error < 1e-3)', async () => {
    const { Sequential } = await import('../engine/sequential.js');
    const { Input } = await import('../engine/input-layer.js');
    const { Dense } = await import('../layers/core/dense.js');
    const { x, y } = regressionData(6);
    const model = new Sequential([
      Input([3]),
      new Dense(4, { activation: 'tanh', kernelRegularizer: { className: 'L2', config: { l2: 0.01 } } }),
      new Dense(1),
    ]);
    // SGD with lr 1: one step moves the weights by exactly minus the gradient.
    model.compile({ optimizer: new SGD({ learningRate: 1 }), loss: 'mse' });
    const before = model.getWeights();
    const beforeValues = before.map((w) => Array.from(w.dataSync()));
    model.trainOnBatch(x, y);
    const analytic = model.getWeights().map((w, i) => Array.from(w.dataSync()).map((v, j) => beforeValues[i]![j]! - v));
    model.setWeights(before);
    const eps = 1e-2;
    const numeric: number[][] = [];
    for (let i = 0; i < beforeValues.length; i++) {
      numeric.push([]);
      for (let j = 0; j < beforeValues[i]!.length; j++) {
        const at = (delta: number): number => {
          const values = beforeValues.map((v) => [...v]);
          values[i]![j]! += delta;
          model.setWeights(values.map((v, k) => tf.tensor(v, before[k]!.shape)));
          return model.testOnBatch(x, y) as number;
        };
        numeric[i]!.push((at(eps) - at(-eps)) / (2 * eps));
      }
    }
    const a = analytic.flat();
    const n = numeric.flat();
    const diff = Math.sqrt(a.reduce((s, v, k) => s + (v - n[k]!) ** 2, 0));
    const norm = Math.sqrt(a.reduce((s, v) => s + v * v, 0));
    expect(norm).toBeGreaterThan(0.1);
    expect(diff / norm).toBeLessThan(1e-3);
  });

  it('updates BatchNormalization moving statistics in training only', async () => {
    const { Sequential } = await import('../engine/sequential.js');
    const { Input } = await import('../engine/input-layer.js');
    const { Dense } = await import('../layers/core/dense.js');
    const { BatchNormalization } = await import('../layers/normalization/batch-normalization.js');
    const bn = new BatchNormalization();
    const model = new Sequential([Input([2]), bn, new Dense(1)]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = tf.tensor2d([
      [10, 20],
      [12, 24],
    ]);
    const movingMean = (): number[] => Array.from(bn.weights.find((w) => w.name === 'moving_mean')!.value.dataSync());
    await model.evaluate(x, [[0], [0]], { verbose: 0 });
    model.predict(x, { verbose: 0 });
    expect(movingMean()).toEqual([0, 0]);
    await model.fit(x, [[0], [0]], { verbose: 0 });
    // momentum 0.99: 0.99 * 0 + 0.01 * batch mean
    expect(movingMean()[0]).toBeCloseTo(0.11, 5);
    expect(movingMean()[1]).toBeCloseTo(0.22, 5);
  });
});

describe('evaluate and predict', () => {
  it('predict batches and returns [n, ...] tensors; evaluate returns the loss alone without metrics', async () => {
    const { x, y } = regressionData(10);
    const model = mlp();
    model.compile({ loss: 'mse' });
    const full = model.predict(x, { batchSize: 32, verbose: 0 }) as tf.Tensor;
    const batched = model.predict(x, { batchSize: 3, verbose: 0 }) as tf.Tensor;
    expect(batched.shape).toEqual([10, 1]);
    expect(Array.from(batched.dataSync())).toEqual(Array.from(full.dataSync()));
    expect(typeof (await model.evaluate(x, y, { verbose: 0 }))).toBe('number');
    expect(Object.keys(await model.evaluate(x, y, { verbose: 0, returnDict: true }))).toEqual(['loss']);
  });
});

describe('memory', () => {
  it('fit, evaluate and predict leave no tensors behind', async () => {
    const { x, y } = regressionData(20);
    const model = mlp(4, { kernelRegularizer: 'l2' });
    model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae', 'accuracy'] });
    // The first fit creates the optimizer slots (kept, as Keras keeps optimizer variables) — nothing else.
    const start = tf.memory().numTensors;
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    expect(model.optimizer.variables.length).toBe(4 * 2);
    expect(tf.memory().numTensors).toBe(start + model.optimizer.variables.length);
    const baseline = tf.memory().numTensors;
    await model.fit(x, y, { epochs: 2, batchSize: 6, validationSplit: 0.2, verbose: 0 });
    await model.fit(x, y, {
      epochs: 1,
      validationData: [x, y],
      sampleWeight: new Float32Array(20).fill(1),
      verbose: 0,
    });
    await model.fit(x.arraySync(), y.arraySync(), { epochs: 1, classWeight: { 0: 2 }, stepsPerEpoch: 3, verbose: 0 });
    expect(tf.memory().numTensors).toBe(baseline);
    await model.evaluate(x, y, { batchSize: 7, verbose: 0 });
    expect(tf.memory().numTensors).toBe(baseline);
    (model.predict(x, { batchSize: 7, verbose: 0 }) as tf.Tensor).dispose();
    (model.predictOnBatch(x) as tf.Tensor).dispose();
    model.trainOnBatch(x, y);
    model.testOnBatch(x, y);
    expect(tf.memory().numTensors).toBe(baseline);
    const all = tf.memory().numTensors;
    const weightCount = model.weights.length + model.optimizer.variables.length;
    model.dispose();
    expect(tf.memory().numTensors).toBe(all - weightCount);
  });

  it('warns once per input when validation data contains NaN (training data with NaN is refused, see bad-numbers.test)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const model = zeroModel();
    model.compile({ loss: 'mse' });
    const history = await model.fit([[1], [2]], [[1], [2]], {
      validationData: [
        [[1], [Number.NaN]],
        [[1], [1]],
      ],
      epochs: 2,
      verbose: 0,
    });
    const messages = warn.mock.calls.map((c) => String(c[0]));
    warn.mockRestore();
    expect(messages.filter((m) => m.includes('NaN'))).toEqual(
      [
        'validationData x (input "input_layer") contains NaN values; the loss will be NaN. Clean or impute the data first.',
      ].map((m) => m.replace('input_layer', model.inputs[0]!.sourceLayer.name)),
    );
    expect(history.history['val_loss']!.every(Number.isNaN)).toBe(true);
  });
});

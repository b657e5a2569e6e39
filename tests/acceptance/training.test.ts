/**
 * Acceptance (issue 2): a functional model with two inputs, two outputs, a shared layer and a
 * nested Sequential trains on tiny data through the public API, its History has Keras 3's
 * keys, and tensors, nested arrays and typed arrays with a shape give identical results.
 */
import { describe, expect, it } from 'vitest';
import { Input, Sequential, clearSession, layers, optimizers, tf } from '@strata/core';
import { compileTwoHeads, twoInTwoOutData, twoInTwoOutModel } from './models.js';

describe('a two-input, two-output functional model learns', () => {
  it('loss goes down and History has Keras 3 keys: loss, <output>_loss, <output>_<metric>, val_*', async () => {
    const model = twoInTwoOutModel();
    compileTwoHeads(model, new optimizers.Adam({ learningRate: 0.02 }));
    const d = twoInTwoOutData(40);
    const history = await model.fit(
      [d.left, d.right],
      { reg: d.reg, cls: d.cls },
      {
        epochs: 25,
        batchSize: 8,
        validationSplit: 0.2,
        verbose: 0,
      },
    );
    // Keras 3 logs for outputs named `reg` and `cls` with metrics {reg: ['mae'], cls: ['accuracy']}.
    const trainKeys = ['cls_accuracy', 'cls_loss', 'loss', 'reg_loss', 'reg_mae'];
    expect(Object.keys(history.history).sort()).toEqual([...trainKeys, ...trainKeys.map((k) => `val_${k}`)].sort());
    expect(history.epoch).toEqual(Array.from({ length: 25 }, (_, i) => i));
    const loss = history.history['loss']!;
    expect(loss).toHaveLength(25);
    expect(loss.every(Number.isFinite)).toBe(true);
    expect(loss[24]!).toBeLessThan(0.25 * loss[0]!);
    expect(history.history['cls_accuracy']![24]!).toBeGreaterThan(history.history['cls_accuracy']![0]!);
    // The total is the sum of the two output losses (loss weights 1).
    const last = (k: string): number => history.history[k]![24]!;
    expect(last('loss')).toBeCloseTo(last('reg_loss') + last('cls_loss'), 4);
    // The shared layer saw both inputs: it is one layer with two call nodes and one set of weights.
    const shared = model.getLayer('shared');
    expect(shared.inboundNodes).toHaveLength(2);
    expect(model.trainableWeights.filter((w) => w.owner === shared)).toHaveLength(2);
    // The nested Sequential's weights are trained too (listed among the model's weights).
    expect(model.trainableWeights).toHaveLength(2 + 4 + 2 + 2);
    model.dispose();
  });

  it("evaluate returns [loss, ...metrics] in metricsNames order, or a dict matching fit's keys", async () => {
    const model = twoInTwoOutModel(3);
    compileTwoHeads(model, 'sgd');
    const d = twoInTwoOutData(16);
    await model.fit([d.left, d.right], [d.reg, d.cls], { epochs: 1, verbose: 0 });
    const asDict = await model.evaluate([d.left, d.right], [d.reg, d.cls], { verbose: 0, returnDict: true });
    expect(Object.keys(asDict).sort()).toEqual(['cls_accuracy', 'cls_loss', 'loss', 'reg_loss', 'reg_mae']);
    const asList = (await model.evaluate(
      { left: d.left, right: d.right },
      { reg: d.reg, cls: d.cls },
      { verbose: 0 },
    )) as number[];
    expect(asList).toHaveLength(5);
    expect(asList[0]).toBeCloseTo(asDict['loss']!, 5);
    model.metricsNames.forEach((name, i) => expect(asList[i]).toBeCloseTo(asDict[name]!, 5));
    model.dispose();
  });
});

describe('input kinds: tf.Tensor, nested arrays and {data, shape} train and predict identically', () => {
  const n = 12;
  const xs = Array.from({ length: n }, (_, i) => [Math.sin(i), Math.cos(i), (i % 4) / 4]);
  const ys = xs.map((r) => [r[0]! - r[1]! + 0.5 * r[2]!]);

  function model(): Sequential {
    clearSession();
    const m = new Sequential([
      Input([3]),
      new layers.Dense(5, {
        activation: 'tanh',
        kernelInitializer: { className: 'GlorotUniform', config: { seed: 7 } },
      }),
      new layers.Dense(1, { kernelInitializer: { className: 'GlorotUniform', config: { seed: 8 } } }),
    ]);
    m.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: 'mse' });
    return m;
  }

  async function trainAndPredict(
    x: unknown,
    y: unknown,
  ): Promise<{ loss: number[]; pred: number[]; weights: number[] }> {
    const m = model();
    // No shuffle: the three runs see the same batches in the same order.
    const h = await m.fit(x as never, y as never, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
    const out = m.predict(x as never, { batchSize: 5, verbose: 0 }) as tf.Tensor;
    const pred = Array.from(out.dataSync());
    out.dispose();
    const ws = m.getWeights();
    const weights = ws.flatMap((w) => Array.from(w.dataSync()));
    tf.dispose(ws);
    m.dispose();
    return { loss: h.history['loss']!, pred, weights };
  }

  it('gives the same losses, weights and predictions for all three kinds', async () => {
    const xT = tf.tensor2d(xs);
    const yT = tf.tensor2d(ys);
    const fromTensors = await trainAndPredict(xT, yT);
    const fromArrays = await trainAndPredict(xs, ys);
    const fromTyped = await trainAndPredict(
      { data: Float32Array.from(xs.flat()), shape: [n, 3] },
      { data: Float32Array.from(ys.flat()), shape: [n, 1] },
    );
    // The user's tensors are not consumed by fit/predict.
    expect(xT.isDisposed).toBe(false);
    expect(Array.from(xT.dataSync())).toEqual(Array.from(Float32Array.from(xs.flat())));
    xT.dispose();
    yT.dispose();
    expect(fromTensors.loss[2]).toBeLessThan(fromTensors.loss[0]!);
    expect(fromArrays).toEqual(fromTensors);
    expect(fromTyped).toEqual(fromTensors);
  });

  it('a two-input model predicts the same from a list of tensors, a dict of nested arrays and a list of {data, shape}', () => {
    const model = twoInTwoOutModel(5);
    const d = twoInTwoOutData(9);
    const tensors = [tf.tensor2d(d.left), tf.tensor2d(d.right)];
    const read = (out: tf.Tensor | tf.Tensor[]): number[][] => {
      const list = out as tf.Tensor[];
      const values = list.map((t) => Array.from(t.dataSync()));
      tf.dispose(list);
      return values;
    };
    const fromTensors = read(model.predict(tensors, { batchSize: 4, verbose: 0 }));
    const fromDict = read(model.predict({ right: d.right, left: d.left }, { batchSize: 4, verbose: 0 }));
    const fromTyped = read(
      model.predict(
        [
          { data: Float32Array.from(d.left.flat()), shape: [9, 4] },
          { data: Float64Array.from(d.right.flat()), shape: [9, 4] },
        ],
        { batchSize: 4, verbose: 0 },
      ),
    );
    tf.dispose(tensors);
    expect(fromTensors.map((v) => v.length)).toEqual([9, 27]);
    expect(fromDict).toEqual(fromTensors);
    expect(fromTyped).toEqual(fromTensors);
    model.dispose();
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { SGD } from '../optimizers/sgd.js';
import { Adam } from '../optimizers/adam.js';
import { LambdaCallback } from '../callbacks/simple.js';
import { Callback } from '../callbacks/callback.js';
import { RAN_OUT_WARNING } from '../data/batch-stream.js';
import { mlp, regressionData, twoHeadModel, zeroModel } from './test-models.test-suite.js';

/** A generator of `count` batches `[x, y]` of 2 samples each: x = 1, y = `target`. */
function* batches(count: number, target = 2, log: number[] = []): Generator<[tf.Tensor, tf.Tensor]> {
  for (let i = 0; i < count; i++) {
    log.push(i);
    yield [tf.ones([2, 1]), tf.fill([2, 1], target)];
  }
}

/** A re-iterable source (like Keras's PyDataset): each `[Symbol.iterator]()` starts over. */
class Batches implements Iterable<[tf.Tensor, tf.Tensor]> {
  opened = 0;
  constructor(readonly count: number) {}
  *[Symbol.iterator](): Iterator<[tf.Tensor, tf.Tensor]> {
    this.opened++;
    yield* batches(this.count);
  }
}

/** Counts training batches per epoch. */
function batchCounter(): { counts: number[]; callback: LambdaCallback } {
  const counts: number[] = [];
  const callback = new LambdaCallback({
    onEpochBegin: () => void counts.push(0),
    onTrainBatchEnd: () => void counts[counts.length - 1]!++,
  });
  return { counts, callback };
}

describe('fit on generators and iterables (Keras generator / PyDataset input)', () => {
  let warn: ReturnType<typeof vi.spyOn>;
  afterEach(() => warn?.mockRestore());

  it("trains on a generator until it is exhausted; the next epoch ends training with Keras's warning; no leaks", async () => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const model = zeroModel();
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    const before = tf.memory().numTensors;
    const { counts, callback } = batchCounter();
    const history = await model.fit(batches(5), { epochs: 3, verbose: 0, callbacks: [callback] });
    expect(counts).toEqual([5]);
    expect(history.history).toEqual({ loss: [4] });
    expect(history.params['steps']).toBeNull();
    expect(warn.mock.calls.map((c) => c[0])).toEqual([RAN_OUT_WARNING]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('with stepsPerEpoch, epochs continue in the same generator and a short last epoch warns', async () => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const model = zeroModel();
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    const log: number[] = [];
    const { counts, callback } = batchCounter();
    const history = await model.fit(batches(5, 2, log), {
      epochs: 3,
      stepsPerEpoch: 3,
      verbose: 0,
      callbacks: [callback],
    });
    // As Keras: 3 batches, then the 2 left (warning), then training stops.
    expect(counts).toEqual([3, 2]);
    expect(log).toEqual([0, 1, 2, 3, 4]);
    expect(history.params['steps']).toBe(3);
    expect(history.epoch).toEqual([0, 1]);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('an iterable is read afresh each epoch; an async generator works too; the model learns', async () => {
    const model = zeroModel();
    model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
    const data = new Batches(4);
    const { counts, callback } = batchCounter();
    const history = await model.fit(data, { epochs: 3, verbose: 0, callbacks: [callback] });
    expect(counts).toEqual([4, 4, 4]);
    expect(data.opened).toBe(3);
    const losses = history.history['loss']!;
    expect(losses[2]!).toBeLessThan(losses[0]!);

    async function* slow(): AsyncGenerator<{ x: tf.Tensor; y: tf.Tensor } | { xs: tf.Tensor; ys: tf.Tensor }> {
      for (let i = 0; i < 3; i++) {
        await new Promise((r) => setTimeout(r, 1));
        // TF.js's fitDataset items ({xs, ys}) work as well as {x, y}.
        yield i === 2 ? { xs: tf.ones([2, 1]), ys: tf.fill([2, 1], 2) } : { x: tf.ones([2, 1]), y: tf.fill([2, 1], 2) };
      }
    }
    const before = tf.memory().numTensors;
    const asyncHistory = await model.fit(slow(), { verbose: 0 });
    expect(asyncHistory.history['loss']).toHaveLength(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('accepts [x, y, sampleWeight], nested arrays, multi-input lists and dicts', async () => {
    const model = twoHeadModel();
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    const single = zeroModel();
    single.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    function* multi(): Generator<unknown> {
      yield [
        [tf.ones([2, 2]), tf.ones([2, 1])],
        [tf.fill([2, 1], 1), tf.fill([2, 1], 2)],
      ];
      yield { x: { left: [[1, 1]], right: [[1]] }, y: { a: [[1]], b: [[2]] }, sampleWeight: [1] };
    }
    const before = tf.memory().numTensors;
    const history = await model.fit(multi() as Generator<[tf.Tensor[], tf.Tensor[]]>, { verbose: 0 });
    // Zero model: loss a = 1, b = 4.
    expect(history.history['loss']![0]).toBeCloseTo(5, 5);
    expect(tf.memory().numTensors).toBe(before);

    function* weighted(): Generator<[tf.Tensor, tf.Tensor, tf.Tensor]> {
      yield [tf.ones([2, 1]), tf.tensor2d([[0], [10]]), tf.tensor1d([1, 0])];
    }
    const h = await single.fit(weighted(), { verbose: 0 });
    expect(h.history['loss']).toEqual([0]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('validationData as an iterable with validationSteps; validation logs val_*', async () => {
    const model = zeroModel();
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    const val = new Batches(4);
    const seen: number[] = [];
    const callback = new (class extends Callback {
      override onTestBatchEnd(batch: number): void {
        seen.push(batch);
      }
    })();
    const history = await model.fit(new Batches(2), {
      epochs: 2,
      verbose: 0,
      validationData: val,
      validationSteps: 2,
      callbacks: [callback],
    });
    expect(history.history['val_loss']).toEqual([4, 4]);
    expect(seen).toEqual([0, 1, 0, 1]);
    // validationSteps keeps the validation iterator: the second validation read batches 2 and 3.
    expect(val.opened).toBe(1);
  });

  it('refuses y, sampleWeight, classWeight and validationSplit with a generator, and bad items, without leaking', async () => {
    const model = zeroModel();
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    const before = tf.memory().numTensors;
    await expect(model.fit(batches(1), { validationSplit: 0.5, verbose: 0 })).rejects.toThrow(
      /`validationSplit` is not supported when x is a generator/,
    );
    await expect(model.fit(batches(1), { classWeight: { 0: 1 }, verbose: 0 })).rejects.toThrow(
      /`classWeight` is not supported/,
    );
    const x = tf.ones([1, 1]);
    await expect(model.fit(batches(1) as never, x as never)).rejects.toThrow(
      /`y` is not supported when x is a generator/,
    );
    x.dispose();
    function* bad(): Generator<unknown> {
      yield [tf.ones([2, 1])];
    }
    await expect(model.fit(bad() as never, { verbose: 0 })).rejects.toThrow(
      'fit: batch 0 of the generator: expected [x, y], [x, y, sampleWeight] or {x, y, sampleWeight}, got an array of length 1',
    );
    function* empty(): Generator<[tf.Tensor, tf.Tensor]> {}
    await expect(model.fit(empty(), { verbose: 0 })).rejects.toThrow(/must yield at least one batch/);
    function* mismatch(): Generator<[tf.Tensor, tf.Tensor]> {
      yield [tf.ones([3, 1]), tf.ones([2, 1])];
    }
    await expect(model.fit(mismatch(), { verbose: 0 })).rejects.toThrow(/different numbers of samples/);
    const x1 = tf.ones([2, 1]);
    const y1 = tf.ones([2, 1]);
    function* reused(): Generator<[tf.Tensor, tf.Tensor]> {
      yield [x1, y1];
      yield [x1, y1];
    }
    await expect(model.fit(reused(), { verbose: 0 })).rejects.toThrow(
      /has been disposed \(the loop disposes the tensors of each batch after its step: yield new tensors for every batch\)/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the progress bar has no total in the first epoch of an iterable and knows it afterwards', async () => {
    const model = zeroModel();
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    let text = '';
    await model.fit(new Batches(3), {
      epochs: 2,
      verbose: 1,
      progressOutput: { write: (t) => void (text += t), isTTY: false },
    });
    const lines = text.split('\n').filter((l) => l.includes('step'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^3\/3 /);
    expect(lines[1]).toMatch(/^3\/3 /);
    let tty = '';
    await model.fit(new Batches(3), {
      epochs: 2,
      verbose: 1,
      progressOutput: { write: (t) => void (tty += t), isTTY: true },
    });
    const [first, second] = tty.split('Epoch 2/2');
    expect(first).toMatch(/1\/Unknown/);
    expect(second).not.toMatch(/Unknown/);
    expect(second).toMatch(/1\/3 /);
  });
});

describe('evaluate and predict on generators', () => {
  it('evaluate matches arrays; steps limits the batches; no leaks', async () => {
    const { x, y } = regressionData(12);
    const model = mlp();
    model.compile({ optimizer: new Adam(), loss: 'mse', metrics: ['mae'] });
    const expected = (await model.evaluate(x, y, { batchSize: 4, verbose: 0 })) as number[];
    const before = tf.memory().numTensors;
    function* split(): Generator<[tf.Tensor, tf.Tensor]> {
      for (let i = 0; i < 3; i++) yield [tf.slice(x, [i * 4], [4]), tf.slice(y, [i * 4], [4])];
    }
    const got = (await model.evaluate(split(), { verbose: 0 })) as number[];
    expect(got[0]).toBeCloseTo(expected[0]!, 5);
    expect(got[1]).toBeCloseTo(expected[1]!, 5);
    const logs = await model.evaluate(split(), { verbose: 0, steps: 1, returnDict: true });
    expect(Object.keys(logs)).toEqual(['loss', 'mae']);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
  });

  it('predict concatenates the outputs of x batches, {x} items or [x, y] pairs', async () => {
    const { x, y } = regressionData(10);
    const model = mlp();
    const expected = model.predict(x, { verbose: 0 }) as tf.Tensor;
    const before = tf.memory().numTensors;
    async function* xs(): AsyncGenerator<tf.Tensor | { x: tf.Tensor } | [tf.Tensor, tf.Tensor]> {
      yield tf.slice(x, [0], [4]);
      yield { x: tf.slice(x, [4], [4]) };
      yield [tf.slice(x, [8], [2]), tf.slice(y, [8], [2])];
    }
    const out = (await model.predict(xs(), { verbose: 0 })) as tf.Tensor;
    expect(out.shape).toEqual([10, 1]);
    expect(Array.from(out.dataSync())).toEqual(Array.from(expected.dataSync()));
    out.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y, expected]);
  });
});

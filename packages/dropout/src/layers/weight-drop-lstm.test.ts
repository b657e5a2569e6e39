import { describe, expect, it } from 'vitest';
import { SeedGenerator, layerFromConfig, layers, tf } from '@strata/core';
import { WeightDropLSTM } from './weight-drop-lstm.js';

const [units, features, steps] = [3, 2, 5];

function weights(): tf.Tensor[] {
  return [
    tf.randomNormal([features, 4 * units], 0, 0.5, 'float32', 1),
    tf.randomNormal([units, 4 * units], 0, 0.5, 'float32', 2),
    tf.randomNormal([4 * units], 0, 0.1, 'float32', 3),
  ];
}

function lstmWith(recurrentKernel: tf.Tensor): InstanceType<typeof layers.LSTM> {
  const reference = new layers.LSTM(units, { returnSequences: true });
  reference.maybeBuild([null, steps, features]);
  const [k, , b] = weights();
  reference.setWeights([k!, recurrentKernel, b!]);
  return reference;
}

describe('WeightDropLSTM', () => {
  const x = tf.randomNormal([4, steps, features], 0, 1, 'float32', 9);

  it('is exactly an LSTM at inference', () => {
    const layer = new WeightDropLSTM(units, { weightDropout: 0.5, returnSequences: true, seed: 1 });
    layer.maybeBuild([null, steps, features]);
    layer.setWeights(weights());
    const expected = lstmWith(weights()[1]!).apply(x);
    expect(layer.apply(x).arraySync()).toEqual(expected.arraySync());
  });

  it('in training uses one DropConnect mask of the recurrent kernel for every step of a call, a new one next call', () => {
    const [seed, rate] = [4, 0.5];
    const layer = new WeightDropLSTM(units, { weightDropout: rate, returnSequences: true, seed });
    layer.maybeBuild([null, steps, features]);
    layer.setWeights(weights());
    // The layer's weight-mask stream: its own SeedGenerator, derived from the seed.
    const stream = new SeedGenerator((seed * 31 + 17) % 2147483647);
    const recurrent = weights()[1]!;
    for (let call = 0; call < 2; call++) {
      const keep = tf.cast(
        tf.greaterEqual(tf.randomUniform(recurrent.shape, 0, 1, 'float32', stream.next()), rate),
        'float32',
      );
      const masked = tf.mul(recurrent, tf.div(keep, 1 - rate));
      const expected = lstmWith(masked).apply(x).arraySync() as number[][][];
      const actual = layer.apply(x, { training: true }).arraySync() as number[][][];
      actual.flat(2).forEach((v, i) => expect(v).toBeCloseTo(expected.flat(2)[i]!, 5));
    }
  });

  it('changes the training output when weightDropout > 0 and trains the real recurrent kernel', () => {
    const layer = new WeightDropLSTM(units, { weightDropout: 0.5, seed: 2 });
    layer.maybeBuild([null, steps, features]);
    const kernel = layer.cell.recurrentKernel!.value;
    const { grads, value } = tf.variableGrads(() => tf.sum(layer.apply(x, { training: true })) as tf.Scalar, [kernel]);
    const g = Array.from(grads[kernel.name]!.dataSync());
    value.dispose();
    expect(g.some((v) => v === 0)).toBe(true); // dropped entries get no gradient
    expect(g.some((v) => v !== 0)).toBe(true);
  });

  it('round-trips its config (LSTM keys + weight_dropout), validates, does not leak', () => {
    const layer = new WeightDropLSTM(units, {
      weightDropout: 0.3,
      dropout: 0.1,
      returnSequences: true,
      seed: 5,
      name: 'wd',
    });
    const copy = layerFromConfig('WeightDropLSTM', layer.getConfig());
    expect(copy).toBeInstanceOf(WeightDropLSTM);
    expect(copy.getConfig()).toEqual(layer.getConfig());
    expect(layer.kerasConfig()).toMatchObject({
      units,
      weight_dropout: 0.3,
      dropout: 0.1,
      return_sequences: true,
      seed: 5,
    });
    layer.weightDropout = 0.4;
    expect(layer.weightDropout).toBe(0.4);
    expect(() => (layer.weightDropout = 3)).toThrow(/"wd" \(WeightDropLSTM\): invalid weightDropout 3/);
    layer.maybeBuild([null, steps, features]);
    const before = tf.memory().numTensors;
    tf.dispose(layer.apply(x, { training: true }));
    tf.dispose(layer.apply(x));
    expect(tf.memory().numTensors).toBe(before);
  });
});

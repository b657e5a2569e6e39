import { describe, expect, it } from 'vitest';
import { Input, Model, Sequential, layers, tf } from '@strata/core';
import { setRecurrentDropout } from './set-recurrent-dropout.js';

describe('setRecurrentDropout', () => {
  it('returns a copy of one RNN layer with the new rates and the same weights', () => {
    for (const layer of [new layers.SimpleRNN(3), new layers.GRU(3), new layers.LSTM(3)]) {
      layer.maybeBuild([null, 4, 2]);
      const copy = setRecurrentDropout(layer, { dropout: 0.2, recurrentDropout: 0.3, seed: 5 });
      expect(copy).not.toBe(layer);
      expect(copy.constructor).toBe(layer.constructor);
      expect(copy.getConfig()).toMatchObject({ name: layer.name, dropout: 0.2, recurrentDropout: 0.3, seed: 5 });
      const x = tf.randomNormal([2, 4, 2]);
      // Recurrent dropout switches LSTM/GRU to per-gate matmuls (Keras implementation 1): the same
      // function at inference, summed in another order, so equal to float32 rounding.
      expect(tf.max(tf.abs(tf.sub(copy.apply(x), layer.apply(x)))).dataSync()[0]).toBeLessThan(1e-6);
    }
  });

  it('sets the rates of both directions of a Bidirectional and of RNN(cell)', () => {
    const bi = new layers.Bidirectional(new layers.LSTM(2));
    const copy = setRecurrentDropout(bi, { dropout: 0.1 });
    expect(copy.forwardLayer.getConfig()['dropout']).toBe(0.1);
    expect(copy.backwardLayer.getConfig()['dropout']).toBe(0.1);
    const generic = setRecurrentDropout(new layers.RNN(new layers.GRUCell(2)), { recurrentDropout: 0.4 });
    expect(generic.cell.getConfig()['recurrentDropout']).toBe(0.4);
  });

  it('rebuilds a model with every recurrent layer changed, weights carried over', () => {
    const input = Input([5, 3]);
    const a = new layers.LSTM(4, { returnSequences: true, name: 'a' }).apply(input);
    const b = new layers.Bidirectional(new layers.GRU(2), { name: 'b' }).apply(a);
    const model = new Model({ inputs: input, outputs: new layers.Dense(1, { name: 'head' }).apply(b) });
    const rebuilt = setRecurrentDropout(model, { dropout: 0.25, recurrentDropout: 0.5 });
    expect(rebuilt).not.toBe(model);
    expect(rebuilt.getLayer('a').getConfig()).toMatchObject({ dropout: 0.25, recurrentDropout: 0.5 });
    const bi = rebuilt.getLayer('b') as InstanceType<typeof layers.Bidirectional>;
    expect(bi.forwardLayer.getConfig()).toMatchObject({ dropout: 0.25, recurrentDropout: 0.5 });
    expect(model.getLayer('a').getConfig()['dropout']).toBe(0);
    const x = tf.randomNormal([2, 5, 3]);
    const expected = model.apply(x).arraySync() as number[][];
    const actual = rebuilt.apply(x).arraySync() as number[][];
    actual.flat().forEach((v, i) => expect(v).toBeCloseTo(expected.flat()[i]!, 5));
  });

  it('refuses non-recurrent targets and invalid rates', () => {
    expect(() => setRecurrentDropout(new layers.Dense(2, { name: 'fc' }), { dropout: 0.1 })).toThrow(
      /layer "fc" \(Dense\) is not recurrent/,
    );
    const mlp = new Sequential([Input([3]), new layers.Dense(2)], { name: 'mlp' });
    expect(() => setRecurrentDropout(mlp, { dropout: 0.1 })).toThrow(/model "mlp" has no recurrent layer/);
    expect(() => setRecurrentDropout(new layers.LSTM(2), { recurrentDropout: 2 })).toThrow(
      /invalid recurrentDropout 2/,
    );
  });
});

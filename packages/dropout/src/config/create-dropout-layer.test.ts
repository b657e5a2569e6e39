import { describe, expect, it } from 'vitest';
import { layers, tf } from '@strata/core';
import { DropBlock2D } from '../layers/drop-block-2d.js';
import { DropConnectDense } from '../layers/drop-connect-dense.js';
import { StochasticDepth } from '../layers/stochastic-depth.js';
import { createDropoutLayer } from './create-dropout-layer.js';

describe('createDropoutLayer', () => {
  it('builds the layer of each kind with the configured options', () => {
    const standard = createDropoutLayer({ kind: 'standard', rate: 0.3, noiseShape: [null, 1], seed: 2 }, { name: 'd' });
    expect(standard).toBeInstanceOf(layers.Dropout);
    expect(standard.getConfig()).toMatchObject({ name: 'd', rate: 0.3, seed: 2, noiseShape: [null, 1] });
    expect(createDropoutLayer({ kind: 'gaussian', rate: 0.2 })).toBeInstanceOf(layers.GaussianDropout);
    expect(createDropoutLayer({ kind: 'alpha', rate: 0.2 })).toBeInstanceOf(layers.AlphaDropout);
    expect(createDropoutLayer({ kind: 'droppath', rate: 0.2 })).toBeInstanceOf(StochasticDepth);
    const block = createDropoutLayer({ kind: 'dropblock', rate: 0.1, blockSize: 3 }, { dataFormat: 'channels_first' });
    expect(block).toBeInstanceOf(DropBlock2D);
    expect(block.getConfig()).toMatchObject({ blockSize: 3, dataFormat: 'channels_first' });
  });

  it('fits spatial dropout to the rank given by the config, the target conv or the input rank', () => {
    expect(createDropoutLayer({ kind: 'spatial', rate: 0.1, rank: 3 })).toBeInstanceOf(layers.SpatialDropout3D);
    const conv = new layers.Conv1D(4, { kernelSize: 3 });
    expect(createDropoutLayer({ kind: 'spatial', rate: 0.1 }, { target: conv })).toBeInstanceOf(
      layers.SpatialDropout1D,
    );
    const fromRank = createDropoutLayer({ kind: 'spatial', rate: 0.1, dataFormat: 'channels_first' }, { inputRank: 4 });
    expect(fromRank).toBeInstanceOf(layers.SpatialDropout2D);
    expect(fromRank.getConfig()['dataFormat']).toBe('channels_first');
    expect(() => createDropoutLayer({ kind: 'spatial', rate: 0.1 })).toThrow(
      /needs context\.target \(a conv\) or context\.inputRank/,
    );
  });

  it('turns a Dense into a DropConnectDense with the same options and weights', () => {
    const dense = new layers.Dense(3, { activation: 'relu', name: 'hidden' });
    dense.maybeBuild([null, 4]);
    const layer = createDropoutLayer({ kind: 'dropconnect', rate: 0.25 }, { target: dense }) as DropConnectDense;
    expect(layer).toBeInstanceOf(DropConnectDense);
    expect(layer.name).toBe('hidden');
    expect(layer.getConfig()).toMatchObject({ units: 3, activation: 'relu', rate: 0.25 });
    const x = tf.randomNormal([2, 4]);
    expect(layer.apply(x).arraySync()).toEqual(dense.apply(x).arraySync());
    expect(() =>
      createDropoutLayer({ kind: 'dropconnect', rate: 0.2 }, { target: new layers.Conv2D(2, { kernelSize: 3 }) }),
    ).toThrow(/replaces a Dense layer/);
    expect(createDropoutLayer({ kind: 'dropconnect', rate: 0.2 }, { units: 5 }).getConfig()['units']).toBe(5);
  });

  it('sets recurrent rates on a copy of the target RNN', () => {
    const lstm = new layers.LSTM(2, { name: 'rnn' });
    const copy = createDropoutLayer({ kind: 'recurrent', inputRate: 0.1, recurrentRate: 0.3 }, { target: lstm });
    expect(copy).toBeInstanceOf(layers.LSTM);
    expect(copy.getConfig()).toMatchObject({ name: 'rnn', dropout: 0.1, recurrentDropout: 0.3 });
    expect(lstm.getConfig()).toMatchObject({ dropout: 0, recurrentDropout: 0 });
    expect(() => createDropoutLayer({ kind: 'recurrent', inputRate: 0.1, recurrentRate: 0.1 })).toThrow(
      /give it as context\.target/,
    );
  });

  it('validates the config first', () => {
    expect(() => createDropoutLayer({ kind: 'standard', rate: 3 })).toThrow(/config\.rate: invalid value 3/);
  });
});

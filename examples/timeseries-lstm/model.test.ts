/** The weather example's three LSTM variants train a few steps on the real Seattle series. */
import { describe, expect, it } from 'vitest';
import { setRandomSeed, tf } from '@strata/core';
import { loadSeattleWeather } from '@strata/datasets';
import { buildForecaster, type Variant } from './model.js';
import { fitNormalization, makeWindows } from './windows.js';

describe('timeseries-lstm example', () => {
  for (const variant of ['none', 'variational', 'plain'] as Variant[]) {
    it(`variant "${variant}" lowers its training loss over a few epochs on 64 real windows`, async () => {
      setRandomSeed(1337);
      const days = loadSeattleWeather();
      const norm = fitNormalization(days, 200);
      const windows = makeWindows(days, 0, 78, 14, norm);
      expect(windows.count).toBe(64);
      const before = tf.memory().numTensors;
      const x = tf.tensor3d(windows.x, [windows.count, 14, windows.features]);
      const y = tf.tensor2d(windows.y, [windows.count, 1]);
      const model = buildForecaster(variant, 14);
      model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
      const history = await model.fit(x, y, { batchSize: 32, epochs: 4, verbose: 0 });
      const loss = history.history['loss']!;
      expect(loss.every(Number.isFinite)).toBe(true);
      expect(loss[loss.length - 1]!).toBeLessThan(loss[0]!);
      tf.dispose([x, y]);
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});

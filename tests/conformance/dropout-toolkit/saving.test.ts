/**
 * The toolkit's layers are registered classes: a model using them saves to a `.keras` file and
 * loads back with the same classes, configs and weights (same inference output).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Input, Model, layers, tf } from '@strata/core';
import { loadModel } from '../../../packages/core/src/saving/index.js';
import {
  DropBlock2D,
  DropConnectDense,
  DropPath,
  StochasticDepth,
  WeightDropLSTM,
} from '../../../packages/dropout/src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-dropout-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('saving models with the toolkit layers', () => {
  it('round-trips through a .keras file', async () => {
    const image = Input([6, 6, 1]);
    let h = new DropBlock2D(0.2, { blockSize: 3, seed: 1, name: 'block' }).apply(
      new layers.Conv2D(2, { kernelSize: 3 }).apply(image),
    );
    h = new DropPath(0.1, { name: 'path' }).apply(
      new StochasticDepth(0.2, { name: 'depth' }).apply(new layers.Flatten().apply(h)),
    );
    h = new DropConnectDense(4, { rate: 0.3, activation: 'relu', name: 'connect' }).apply(h);
    const sequence = Input([3, 2]);
    const s = new WeightDropLSTM(3, { weightDropout: 0.2, dropout: 0.1, name: 'wd_lstm' }).apply(sequence);
    const model = new Model({ inputs: [image, sequence], outputs: new layers.Concatenate().apply([h, s]) });
    const path = join(dir, 'toolkit.keras');
    await model.save(path);
    const loaded = await loadModel(path);
    for (const name of ['block', 'path', 'depth', 'connect', 'wd_lstm']) {
      expect(loaded.getLayer(name).constructor).toBe(model.getLayer(name).constructor);
      expect(loaded.getLayer(name).getConfig()).toEqual(model.getLayer(name).getConfig());
    }
    const xs = [tf.randomNormal([2, 6, 6, 1]), tf.randomNormal([2, 3, 2])];
    expect((loaded.predict(xs, { verbose: 0 }) as tf.Tensor).arraySync()).toEqual(
      (model.predict(xs, { verbose: 0 }) as tf.Tensor).arraySync(),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { setRandomSeed, tf } from '@strata/core';
import { buildBidirectionalLstm, prepareReviews } from './model.js';

describe('bidirectional LSTM classifier', () => {
  it('has Keras’s shapes: (None, None) ids → (None, None, 2·units) → (None, 2·units) → (None, 1)', () => {
    const model = buildBidirectionalLstm({ maxFeatures: 50, embeddingDim: 8, units: 4 });
    expect(model.layers.map((l) => l.className)).toEqual([
      'InputLayer',
      'Embedding',
      'Bidirectional',
      'Bidirectional',
      'Dense',
    ]);
    expect(model.layers.slice(1).map((l) => l.inboundNodes[0]!.outputs[0]!.shape)).toEqual([
      [null, null, 8],
      [null, null, 8],
      [null, 8],
      [null, 1],
    ]);
    // Embedding 50×8; each direction of an LSTM: kernel, recurrent kernel, bias.
    expect(model.countParams()).toBe(50 * 8 + 2 * (8 * 16 + 4 * 16 + 16) + 2 * (8 * 16 + 4 * 16 + 16) + 8 + 1);
    model.dispose();
  });

  it('trains a few steps on tiny generated data: finite loss that goes down, no tensor leaks', async () => {
    setRandomSeed(3);
    const before = tf.memory().numTensors;
    const data = prepareReviews(32, 100, 10, 5);
    expect(data.x.shape).toEqual([32, 10]);
    const model = buildBidirectionalLstm({ maxFeatures: 100, embeddingDim: 8, units: 4 });
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const history = await model.fit(data.x, data.y, { batchSize: 16, epochs: 3, verbose: 0 });
    const loss = history.history['loss']!;
    expect(loss.every(Number.isFinite)).toBe(true);
    expect(loss[loss.length - 1]!).toBeLessThan(loss[0]!);
    tf.dispose([data.x, data.y]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

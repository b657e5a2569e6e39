/**
 * `setRandomSeed` (Keras `keras.utils.set_random_seed`) makes a whole run reproducible:
 * initial weights, dropout masks and the fit shuffle.
 */
import { describe, expect, it } from 'vitest';
import { Input, Sequential, layers, setRandomSeed, tf } from '@strata/core';

async function run(seed: number): Promise<{ initial: number[]; losses: number[] }> {
  setRandomSeed(seed);
  const model = new Sequential([
    Input([6]),
    new layers.Dense(8, { activation: 'relu' }),
    new layers.Dropout(0.5),
    new layers.Dense(1),
  ]);
  const initial = Array.from(model.getWeights()[0]!.dataSync());
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const x = tf.tensor2d(
    Array.from({ length: 60 }, (_, i) => Math.sin(i)),
    [10, 6],
  );
  const y = tf.tensor2d(
    Array.from({ length: 10 }, (_, i) => i / 10),
    [10, 1],
  );
  const history = await model.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0 });
  tf.dispose([x, y]);
  model.dispose();
  return { initial, losses: history.history['loss']! };
}

describe('setRandomSeed', () => {
  it('gives identical initial weights and training losses for the same seed, different ones for another seed', async () => {
    const a = await run(1337);
    const b = await run(1337);
    const c = await run(7);
    expect(b.initial).toEqual(a.initial);
    expect(b.losses).toEqual(a.losses);
    expect(c.initial).not.toEqual(a.initial);
  });

  it('rejects seeds that are not non-negative integers', () => {
    expect(() => setRandomSeed(-1)).toThrow(/non-negative integer/);
    expect(() => setRandomSeed(1.5)).toThrow(/non-negative integer/);
  });
});

import { describe, expect, it } from 'vitest';
import { setRandomSeed, tf } from '@strata/core';
import { buildModel, encodeSentence, generate, makeVocabulary, sample, vectorize } from './text.js';

describe('character-level text generation', () => {
  const text = 'the congress of the united states. the congress met. ';
  const vocab = makeVocabulary(text);

  it('cuts one-hot windows every `step` characters, labelled with the next character', () => {
    const w = vectorize(text, 10, 3, vocab);
    const n = vocab.chars.length;
    expect(w.count).toBe(Math.ceil((text.length - 10) / 3));
    // Window 1 starts at character 3 ("congress"…); its label is character 13.
    const firstChar = w.x.slice(10 * n, 11 * n);
    expect(vocab.chars[firstChar.indexOf(1)]).toBe(text[3]);
    expect(vocab.chars[w.y.slice(n, 2 * n).indexOf(1)]).toBe(text[13]);
    expect(w.x.reduce((a, b) => a + b, 0)).toBe(w.count * 10);
    expect(() => encodeSentence('xyz', vocab)).toThrow(/character "x" is not in the vocabulary/);
  });

  it('samples greedily at a low temperature and spreads out at a high one', () => {
    const preds = [0.1, 0.6, 0.3];
    let state = 7;
    const random = (): number => (state = (state * 16807) % 2147483647) / 2147483647;
    const counts = (t: number): number[] => {
      const c = [0, 0, 0];
      for (let i = 0; i < 2000; i++) c[sample(preds, t, random)]!++;
      return c;
    };
    // At temperature 0.05 the 0.6 character has odds (0.6/0.3)^20 ≈ 10^6 : 1 against the next one.
    expect(counts(0.05)[1]!).toBeGreaterThanOrEqual(1995);
    const flat = counts(5);
    expect(flat[0]!).toBeGreaterThan(400);
    expect(flat[1]!).toBeLessThan(1000);
    expect(() => sample(preds, 0)).toThrow(/temperature must be positive/);
  });

  it('trains a few steps (finite, decreasing loss), generates text of the vocabulary, and leaks no tensors', async () => {
    setRandomSeed(3);
    const before = tf.memory().numTensors;
    const maxlen = 8;
    const w = vectorize(text, maxlen, 1, vocab);
    const x = tf.tensor3d(w.x, [w.count, maxlen, vocab.chars.length]);
    const y = tf.tensor2d(w.y, [w.count, vocab.chars.length]);
    const model = buildModel(maxlen, vocab.chars.length, 16);
    const history = await model.fit(x, y, { batchSize: 16, epochs: 4, verbose: 0 });
    const loss = history.history['loss']!;
    expect(loss.every(Number.isFinite)).toBe(true);
    expect(loss[loss.length - 1]!).toBeLessThan(loss[0]!);
    const out = generate(model, text.slice(0, maxlen), 5, 0.5, vocab);
    expect(out).toHaveLength(5);
    expect([...out].every((c) => vocab.charIndices.has(c))).toBe(true);
    tf.dispose([x, y]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

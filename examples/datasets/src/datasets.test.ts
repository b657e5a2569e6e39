import { describe, expect, it } from 'vitest';
import {
  MNIST_PIXELS,
  loadMnist,
  loadSeattleWeather,
  loadStateOfTheUnion,
  makeSyntheticReviews,
  toCategorical,
} from './index.js';

describe('loadMnist', () => {
  const { train, test } = loadMnist();

  it('splits the 10,000 real digits 8,000 / rest, with every class in both', () => {
    expect(train.count).toBe(8000);
    expect(train.count + test.count).toBeGreaterThanOrEqual(10000);
    expect(train.images.length).toBe(train.count * MNIST_PIXELS);
    for (const split of [train, test]) {
      const seen = new Set(split.labels);
      expect(seen.size).toBe(10);
    }
  });

  it('has pixels in [0, 1] and real ink (not blank images)', () => {
    let max = 0;
    let min = 1;
    for (const v of train.images) {
      if (v > max) max = v;
      if (v < min) min = v;
    }
    expect(min).toBe(0);
    expect(max).toBeLessThanOrEqual(1);
    const firstImageInk = train.images.slice(0, MNIST_PIXELS).reduce((a, b) => a + b, 0);
    expect(firstImageInk).toBeGreaterThan(10);
  });

  it('is deterministic for a seed and different across seeds', () => {
    const again = loadMnist();
    expect(again.train.labels.slice(0, 50)).toEqual(train.labels.slice(0, 50));
    const other = loadMnist({ seed: 7 });
    expect(other.train.labels.slice(0, 50)).not.toEqual(train.labels.slice(0, 50));
  });

  it('one-hot encodes labels and rejects out-of-range ones', () => {
    expect(Array.from(toCategorical(Int32Array.from([2, 0]), 3))).toEqual([0, 0, 1, 1, 0, 0]);
    expect(() => toCategorical(Int32Array.from([3]), 3)).toThrow(/label 3/);
  });
});

describe('loadSeattleWeather', () => {
  it('reads 1,461 real days with numeric columns', () => {
    const days = loadSeattleWeather();
    expect(days).toHaveLength(1461);
    expect(days[0]).toEqual({
      date: '2012-01-01',
      precipitation: 0,
      tempMax: 12.8,
      tempMin: 5,
      wind: 4.7,
      weather: 'drizzle',
    });
  });
});

describe('loadStateOfTheUnion', () => {
  it("reads George Washington's seven real addresses (1790–1796) as text", () => {
    const addresses = loadStateOfTheUnion({ fromYear: 1790, toYear: 1796 });
    expect(addresses.map((a) => a.year)).toEqual([1790, 1791, 1792, 1793, 1794, 1795, 1796]);
    expect(addresses.every((a) => a.president === 'george_washington')).toBe(true);
    expect(addresses[0]!.text).toMatch(/^Fellow-Citizens of the Senate and House of Representatives/);
    expect(addresses.reduce((n, a) => n + a.text.length, 0)).toBeGreaterThan(50_000);
  });

  it('rejects an empty year range', () => {
    expect(() => loadStateOfTheUnion({ fromYear: 1800, toYear: 1790 })).toThrow(/after toYear/);
  });
});

describe('makeSyntheticReviews', () => {
  it('labels a review by its majority of sentiment tokens, balanced and deterministic', () => {
    const data = makeSyntheticReviews({ count: 200, maxLength: 40, seed: 3 });
    const positive = new Set(data.positiveTokens);
    const negative = new Set(data.negativeTokens);
    data.sequences.forEach((tokens, i) => {
      expect(tokens[0]).toBe(1);
      expect(tokens.length).toBeLessThanOrEqual(40);
      const pos = tokens.filter((t) => positive.has(t)).length;
      const neg = tokens.filter((t) => negative.has(t)).length;
      expect(data.labels[i]).toBe(pos > neg ? 1 : 0);
      expect(pos).not.toBe(neg);
    });
    expect(data.labels.reduce((a, b) => a + b, 0)).toBe(100);
    expect(makeSyntheticReviews({ count: 200, maxLength: 40, seed: 3 }).sequences).toEqual(data.sequences);
  });

  it('rejects a vocabulary too small for the sentiment tokens', () => {
    expect(() => makeSyntheticReviews({ count: 1, vocabSize: 20 })).toThrow(/vocabSize 20 is too small/);
  });
});

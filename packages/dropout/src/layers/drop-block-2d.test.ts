import { describe, expect, it } from 'vitest';
import { Input, Model, layerFromConfig, tf } from '@strata/core';
import { DropBlock2D, dropBlockGamma } from './drop-block-2d.js';

/** 0/1 grid of dropped positions of one feature map. */
function droppedGrid(out: number[][][][], b: number, c: number): number[][] {
  return out[b]!.map((row) => row.map((pixel) => (pixel[c] === 0 ? 1 : 0)));
}

/** Morphological opening with a k×k square (k×k squares fully inside the grid): a set equals its opening iff it is a union of such squares. */
function opening(grid: number[][], k: number): number[][] {
  const h = grid.length;
  const w = grid[0]!.length;
  const out = grid.map((row) => row.map(() => 0));
  for (let i = 0; i + k <= h; i++) {
    for (let j = 0; j + k <= w; j++) {
      let full = true;
      for (let a = 0; a < k && full; a++) for (let b = 0; b < k && full; b++) full = grid[i + a]![j + b] === 1;
      if (full) for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) out[i + a]![j + b] = 1;
    }
  }
  return out;
}

/** Exact probability that each position is kept: (1 − γ)^(number of valid centres whose block covers it). */
function keepProbabilities(rate: number, k: number, h: number, w: number): number[][] {
  const gamma = dropBlockGamma(rate, k, h, w);
  const before = Math.floor((k - 1) / 2);
  const after = k - 1 - before;
  const covering = (p: number, size: number): number => {
    let n = 0;
    for (let s = after; s <= size - 1 - before; s++) if (p >= s - after && p <= s + before) n++;
    return n;
  };
  return Array.from({ length: h }, (_, i) =>
    Array.from({ length: w }, (_, j) => (1 - gamma) ** (covering(i, h) * covering(j, w))),
  );
}

function exactDropFraction(rate: number, k: number, h: number, w: number): number {
  const keep = keepProbabilities(rate, k, h, w).flat();
  return 1 - keep.reduce((a, b) => a + b, 0) / keep.length;
}

describe('DropBlock2D', () => {
  it('is the identity at inference and with rate 0', () => {
    const x = tf.randomNormal([2, 8, 8, 3]);
    expect(new DropBlock2D(0.3, { blockSize: 3 }).apply(x).arraySync()).toEqual(x.arraySync());
    expect(new DropBlock2D(0, { blockSize: 3 }).apply(x, { training: true }).arraySync()).toEqual(x.arraySync());
  });

  it('drops whole blockSize×blockSize squares that lie inside the feature map', () => {
    for (const k of [3, 4]) {
      const layer = new DropBlock2D(0.25, { blockSize: k, seed: 5 });
      const out = layer.apply(tf.ones([2, 16, 16, 2]), { training: true }).arraySync() as number[][][][];
      let droppedSomewhere = false;
      for (let b = 0; b < 2; b++) {
        for (let c = 0; c < 2; c++) {
          const grid = droppedGrid(out, b, c);
          droppedSomewhere ||= grid.some((row) => row.includes(1));
          expect(opening(grid, k)).toEqual(grid);
        }
      }
      expect(droppedSomewhere).toBe(true);
    }
  });

  it('renormalises by count / kept so a constant input keeps its mean exactly', () => {
    const out = new DropBlock2D(0.2, { blockSize: 3, seed: 1 }).apply(tf.ones([4, 12, 12, 3]), { training: true });
    const values = Array.from(out.dataSync());
    const kept = values.filter((v) => v !== 0);
    const scale = values.length / kept.length;
    for (const v of kept) expect(v).toBeCloseTo(scale, 4);
    expect(values.reduce((a, b) => a + b, 0) / values.length).toBeCloseTo(1, 4);
  });

  it("drops the fraction the paper's γ implies (exact coverage count), within 4 standard errors", () => {
    const [h, w, k, rate, maps] = [12, 12, 3, 0.2, 600];
    const out = new DropBlock2D(rate, { blockSize: k, seed: 9 }).apply(tf.ones([6, h, w, maps / 6]), {
      training: true,
    });
    const zero = tf.tidy(() => tf.mean(tf.cast(tf.equal(out, 0), 'float32'), [1, 2]).dataSync());
    const fractions = Array.from(zero);
    const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
    const sd = Math.sqrt(fractions.reduce((a, b) => a + (b - mean) ** 2, 0) / (fractions.length - 1));
    const expected = exactDropFraction(rate, k, h, w);
    expect(Math.abs(mean - expected)).toBeLessThan(4 * (sd / Math.sqrt(fractions.length)));
    // γ compensates for the valid region, so the interior rate is close to `rate` (overlaps make it a bit lower).
    expect(expected).toBeGreaterThan(rate * 0.75);
    expect(expected).toBeLessThan(rate);
  });

  it('keeps the expectation of a non-constant input (mean over draws ≈ mean input, tolerance from the variance)', () => {
    const [h, w, channels] = [10, 10, 8];
    const x = tf.randomUniform([1, h, w, channels], 0, 2, 'float32', 3);
    const layer = new DropBlock2D(0.15, { blockSize: 3, seed: 4 });
    const means: number[] = [];
    for (let i = 0; i < 200; i++) means.push(tf.tidy(() => tf.mean(layer.apply(x, { training: true })).dataSync()[0]!));
    const avg = means.reduce((a, b) => a + b, 0) / means.length;
    const sd = Math.sqrt(means.reduce((a, b) => a + (b - avg) ** 2, 0) / (means.length - 1));
    // Renormalising by the kept count makes E[out] = x weighted by each position's keep probability
    // (borders are covered by fewer blocks); to first order that is the input's mean.
    const keep = keepProbabilities(0.15, 3, h, w);
    const values = x.arraySync() as number[][][][];
    let weighted = 0;
    let weights = 0;
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        for (let c = 0; c < channels; c++) weighted += values[0]![i]![j]![c]! * keep[i]![j]!;
        weights += channels * keep[i]![j]!;
      }
    }
    const target = weighted / weights;
    expect(sd).toBeGreaterThan(0);
    expect(Math.abs(avg - target)).toBeLessThan((4 * sd) / Math.sqrt(means.length));
    expect(Math.abs(target - tf.mean(x).dataSync()[0]!)).toBeLessThan(0.01);
  });

  it('handles channels_first, clamps a block larger than the map, gives zeros at rate 1', () => {
    const first = new DropBlock2D(0.3, { blockSize: 3, dataFormat: 'channels_first', seed: 2 });
    const out = first.apply(tf.ones([1, 2, 9, 9]), { training: true }).arraySync() as number[][][][];
    expect(out[0]!.length).toBe(2); // channels stay on axis 1
    for (let c = 0; c < 2; c++) {
      const grid = out[0]![c]!.map((row) => row.map((v) => (v === 0 ? 1 : 0)));
      expect(opening(grid, 3)).toEqual(grid);
    }
    const big = new DropBlock2D(0.5, { blockSize: 20, seed: 1 }).apply(tf.ones([3, 4, 4, 1]), { training: true });
    expect(Number.isFinite(tf.sum(big).dataSync()[0]!)).toBe(true);
    expect(
      tf.sum(new DropBlock2D(1, { blockSize: 2 }).apply(tf.ones([1, 4, 4, 1]), { training: true })).dataSync()[0],
    ).toBe(0);
  });

  it('has a settable, validated rate and clear argument errors', () => {
    const layer = new DropBlock2D(0.1, { name: 'db' });
    layer.rate = 0.2;
    expect(layer.rate).toBe(0.2);
    expect(() => (layer.rate = 1.5)).toThrow(/"db" \(DropBlock2D\): invalid rate 1\.5/);
    expect(() => new DropBlock2D(0.1, { blockSize: 0 })).toThrow(/blockSize must be a positive integer, got 0/);
    expect(() => new DropBlock2D(0.1, { dataFormat: 'nhwc' as never })).toThrow(
      /valid choices: channels_last, channels_first/,
    );
  });

  it('round-trips its config through the registry and works in a model without leaking', () => {
    const layer = new DropBlock2D(0.2, { blockSize: 5, seed: 3, dataFormat: 'channels_last' });
    const copy = layerFromConfig('DropBlock2D', layer.getConfig());
    expect(copy).toBeInstanceOf(DropBlock2D);
    expect(copy.getConfig()).toEqual(layer.getConfig());
    expect(layer.kerasConfig()).toMatchObject({ rate: 0.2, block_size: 5, data_format: 'channels_last', seed: 3 });
    const input = Input([8, 8, 2]);
    const model = new Model({ inputs: input, outputs: layer.apply(input) });
    expect(model.outputs[0]!.shape).toEqual([null, 8, 8, 2]);
    const x = tf.ones([2, 8, 8, 2]);
    const before = tf.memory().numTensors;
    tf.dispose(model.apply(x, { training: true }));
    expect(tf.memory().numTensors).toBe(before);
  });
});

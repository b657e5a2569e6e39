/**
 * Labelled noisy waveforms standing in for the FordA engine-noise dataset of Keras's
 * "Timeseries classification from scratch" (FordA is not shipped by any npm package).
 * Every series is a sine of random frequency, phase and amplitude plus Gaussian noise; class 1
 * series also carry a faint high-frequency tone over part of the window. Each series is
 * z-normalized, as FordA's are.
 */
import { mulberry32 } from '@strata/core';

/** Series `[count, length]` (z-normalized) and labels 0 / 1. */
export interface Waveforms {
  x: Float32Array;
  y: Int32Array;
  count: number;
  length: number;
}

/** Generates `count` series of `length` steps, classes alternating then shuffled. */
export function makeWaveforms(count: number, length: number, seed: number): Waveforms {
  if (!(Number.isInteger(count) && count > 0))
    throw new Error(`makeWaveforms: count must be a positive integer, got ${count}`);
  if (!(Number.isInteger(length) && length >= 16))
    throw new Error(`makeWaveforms: length must be an integer ≥ 16, got ${length}`);
  const random = mulberry32(seed);
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const x = new Float32Array(count * length);
  const y = new Int32Array(count);
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  for (let n = 0; n < count; n++) {
    const label = n % 2;
    const row = order[n]!;
    const cycles = 1 + 4 * random(); // 1–5 slow cycles per window
    const phase = 2 * Math.PI * random();
    const amplitude = 0.5 + random();
    // Class 1: a tone of 0.2–0.3 cycles per step over a random half of the window.
    const toneFrequency = 0.2 + 0.1 * random();
    const toneStart = Math.floor(random() * (length / 2));
    const series = new Float64Array(length);
    for (let t = 0; t < length; t++) {
      let v = amplitude * Math.sin(phase + (2 * Math.PI * cycles * t) / length) + 0.5 * gaussian();
      if (label === 1 && t >= toneStart && t < toneStart + length / 2)
        v += 0.6 * Math.sin(2 * Math.PI * toneFrequency * t);
      series[t] = v;
    }
    const mean = series.reduce((a, b) => a + b, 0) / length;
    const std = Math.sqrt(series.reduce((a, b) => a + (b - mean) ** 2, 0) / length) || 1;
    for (let t = 0; t < length; t++) x[row * length + t] = (series[t]! - mean) / std;
    y[row] = label;
  }
  return { x, y, count, length };
}

/**
 * Turns the daily Seattle weather series into normalized sliding windows for next-day forecasting,
 * as Keras's `timeseries_dataset_from_array` does for the Jena climate example.
 */
import type { WeatherDay } from '@strata/datasets';

/** Features per day, in this order. */
export const FEATURES = ['precipitation', 'tempMax', 'tempMin', 'wind'] as const;

/** Windows of `sequenceLength` days (features) and the next day's max temperature (target). */
export interface Windows {
  x: Float32Array;
  y: Float32Array;
  count: number;
  sequenceLength: number;
  features: number;
}

/** Mean and standard deviation per feature, from the training days only. */
export interface Normalization {
  mean: number[];
  std: number[];
}

/** Per-feature statistics of the first `trainDays` days (no look-ahead into validation). */
export function fitNormalization(days: WeatherDay[], trainDays: number): Normalization {
  const train = days.slice(0, trainDays);
  const mean = FEATURES.map((f) => train.reduce((s, d) => s + d[f], 0) / train.length);
  const std = FEATURES.map(
    (f, i) => Math.sqrt(train.reduce((s, d) => s + (d[f] - mean[i]!) ** 2, 0) / train.length) || 1,
  );
  return { mean, std };
}

/** Sliding windows over `days[start, end)`: each window's target is the max temperature of the day after it, normalized. */
export function makeWindows(
  days: WeatherDay[],
  start: number,
  end: number,
  sequenceLength: number,
  norm: Normalization,
): Windows {
  const f = FEATURES.length;
  const count = end - start - sequenceLength;
  if (count <= 0)
    throw new Error(`makeWindows: range [${start}, ${end}) is shorter than one window of ${sequenceLength} days`);
  const x = new Float32Array(count * sequenceLength * f);
  const y = new Float32Array(count);
  const target = FEATURES.indexOf('tempMax');
  for (let w = 0; w < count; w++) {
    for (let t = 0; t < sequenceLength; t++) {
      const day = days[start + w + t]!;
      FEATURES.forEach((name, i) => {
        x[(w * sequenceLength + t) * f + i] = (day[name] - norm.mean[i]!) / norm.std[i]!;
      });
    }
    y[w] = (days[start + w + sequenceLength]!.tempMax - norm.mean[target]!) / norm.std[target]!;
  }
  return { x, y, count, sequenceLength, features: f };
}

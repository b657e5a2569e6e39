import { describe, expect, it } from 'vitest';
import { loadSeattleWeather } from '@strata/datasets';
import { FEATURES, fitNormalization, makeWindows } from './windows.js';

describe('weather windows', () => {
  const days = loadSeattleWeather();

  it('normalizes with training statistics only and targets the next day', () => {
    const norm = fitNormalization(days, 100);
    const manualMean = days.slice(0, 100).reduce((s, d) => s + d.tempMax, 0) / 100;
    expect(norm.mean[FEATURES.indexOf('tempMax')]).toBeCloseTo(manualMean, 10);
    const w = makeWindows(days, 0, 100, 14, norm);
    expect(w.count).toBe(86);
    const t = FEATURES.indexOf('tempMax');
    // Window 0 covers days 0..13; its target is day 14's max temperature.
    expect(w.y[0]! * norm.std[t]! + norm.mean[t]!).toBeCloseTo(days[14]!.tempMax, 4);
    expect(w.x[13 * FEATURES.length + t]! * norm.std[t]! + norm.mean[t]!).toBeCloseTo(days[13]!.tempMax, 4);
  });

  it('rejects a range shorter than one window', () => {
    expect(() => makeWindows(days, 0, 10, 14, fitNormalization(days, 10))).toThrow(/shorter than one window/);
  });
});

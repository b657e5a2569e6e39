/**
 * The real daily Seattle weather series (2012–2015) shipped in the `vega-datasets` npm package.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** One day of Seattle weather. */
export interface WeatherDay {
  date: string;
  precipitation: number;
  tempMax: number;
  tempMin: number;
  wind: number;
  weather: string;
}

/** Reads `seattle-weather.csv` (1,461 days). */
export function loadSeattleWeather(): WeatherDay[] {
  // The package's exports map hides its data folder; find it from the main entry instead.
  const main = require.resolve('vega-datasets');
  const file = join(dirname(main), '..', 'data', 'seattle-weather.csv');
  const [header, ...rows] = readFileSync(file, 'utf8').trim().split('\n');
  const expected = 'date,precipitation,temp_max,temp_min,wind,weather';
  if (header?.trim() !== expected)
    throw new Error(`seattle-weather.csv: unexpected header "${header}", expected "${expected}"`);
  return rows.map((line, i) => {
    const [date, precipitation, tempMax, tempMin, wind, weather] = line.trim().split(',');
    const numbers = [precipitation, tempMax, tempMin, wind].map(Number);
    if (numbers.some((v) => !Number.isFinite(v)))
      throw new Error(`seattle-weather.csv line ${i + 2}: non-numeric value in "${line}"`);
    return {
      date: date!,
      precipitation: numbers[0]!,
      tempMax: numbers[1]!,
      tempMin: numbers[2]!,
      wind: numbers[3]!,
      weather: weather!,
    };
  });
}

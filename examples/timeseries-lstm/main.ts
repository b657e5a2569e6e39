/**
 * A Keras-style weather forecasting port (keras.io/examples/timeseries/timeseries_weather_forecasting)
 * on the real daily Seattle weather series of the `vega-datasets` package: predict tomorrow's maximum
 * temperature from the last two weeks. Three variants of a two-layer LSTM are compared:
 *   - none:        no dropout,
 *   - variational: LSTM `dropout` + `recurrentDropout` (one mask per sequence, Gal & Ghahramani 2016),
 *   - plain:       `Dropout` layers between the LSTM layers.
 * Then Monte-Carlo dropout gives prediction intervals for the last week of the validation period.
 *
 * Run: pnpm example:timeseries   (EPOCHS=5 for a quick run)
 */
import { Sequential, backendSummary, initBackend, setRandomSeed, tf } from '@strata/core';
import { mcPredict } from '@strata/dropout';
import { loadSeattleWeather } from '@strata/datasets';
import { FEATURES, fitNormalization, makeWindows } from './windows.js';
import { buildForecaster, type Variant } from './model.js';

await initBackend();
// Reproducible runs, as keras.utils.set_random_seed; SEED=<n> to see run-to-run variation.
setRandomSeed(Number(process.env['SEED'] ?? 1337));
console.log(`backend: ${backendSummary()}`);

const days = loadSeattleWeather();
const sequenceLength = 14;
const trainDays = Math.floor(days.length * 0.75);
const norm = fitNormalization(days, trainDays);
const train = makeWindows(days, 0, trainDays, sequenceLength, norm);
const val = makeWindows(days, trainDays - sequenceLength, days.length, sequenceLength, norm);
console.log(
  `${train.count} training windows, ${val.count} validation windows of ${sequenceLength} days × ${FEATURES.length} features`,
);

const xTrain = tf.tensor3d(train.x, [train.count, sequenceLength, train.features]);
const yTrain = tf.tensor2d(train.y, [train.count, 1]);
const xVal = tf.tensor3d(val.x, [val.count, sequenceLength, val.features]);
const yVal = tf.tensor2d(val.y, [val.count, 1]);

const target = FEATURES.indexOf('tempMax');
const toCelsius = (v: number): number => v * norm.std[target]! + norm.mean[target]!;

const build = (variant: Variant): Sequential => buildForecaster(variant, sequenceLength);

const epochs = Number(process.env['EPOCHS'] ?? 20);
const results: Record<string, number> = {};
let variational: Sequential | null = null;
for (const variant of ['none', 'variational', 'plain'] as Variant[]) {
  console.log(`\nvariant: ${variant}`);
  const model = build(variant);
  model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
  const history = await model.fit(xTrain, yTrain, { batchSize: 64, epochs, validationData: [xVal, yVal], verbose: 2 });
  const valMae = history.history['val_mae']!;
  // Report the best epoch's validation MAE in °C, as Keras's example reads its checkpointed model.
  results[variant] = Math.min(...valMae) * norm.std[target]!;
  if (variant === 'variational') variational = model;
  else model.dispose();
}

// Monte-Carlo dropout: 50 stochastic passes with only the dropout active give a predictive distribution.
const lastWeek = 7;
const xLast = tf.slice(xVal, [val.count - lastWeek, 0, 0], [lastWeek, sequenceLength, FEATURES.length]);
const mc = await mcPredict(variational!, xLast, { samples: 50, seed: 1 });
const mean = mc.mean.dataSync();
const std = mc.std.dataSync();
const truth = tf.slice(yVal, [val.count - lastWeek, 0], [lastWeek, 1]).dataSync();
console.log('\nMC-dropout forecast of the max temperature for the last week (°C, mean ± 1.96·std):');
for (let d = 0; d < lastWeek; d++) {
  const m = toCelsius(mean[d]!);
  const half = 1.96 * std[d]! * norm.std[target]!;
  const date = days[days.length - lastWeek + d]!.date;
  console.log(
    `  ${date}: ${m.toFixed(1)} [${(m - half).toFixed(1)}, ${(m + half).toFixed(1)}]  actual ${toCelsius(truth[d]!).toFixed(1)}`,
  );
}
tf.dispose([xTrain, yTrain, xVal, yVal, xLast, mc.mean, mc.std, ...(mc.entropy ? [mc.entropy] : [])]);
variational!.dispose();

console.log("\nBest validation MAE of the next day's max temperature, per dropout variant:");
for (const [variant, mae] of Object.entries(results)) console.log(`val_mae[${variant}]: ${mae.toFixed(3)} °C`);

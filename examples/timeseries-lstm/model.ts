/** The forecaster of the weather example: a two-layer LSTM in three dropout variants. */
import { Input, Sequential, layers, type KerasTensor, type Layer } from '@strata/core';
import { FEATURES } from './windows.js';

/**
 * `none`: no dropout; `variational`: LSTM `dropout` + `recurrentDropout` (one mask per sequence,
 * Gal & Ghahramani 2016); `plain`: `Dropout` layers between the LSTM layers.
 */
export type Variant = 'none' | 'variational' | 'plain';

/** LSTM(32, returnSequences) → LSTM(16) → Dense(1) over `sequenceLength` days of the features. */
export function buildForecaster(variant: Variant, sequenceLength: number): Sequential {
  const rnn = variant === 'variational' ? { dropout: 0.2, recurrentDropout: 0.2, seed: 7 } : {};
  const stack: (Layer | KerasTensor)[] = [
    Input([sequenceLength, FEATURES.length]),
    new layers.LSTM(32, { returnSequences: true, ...rnn }),
  ];
  if (variant === 'plain') stack.push(new layers.Dropout(0.2, { seed: 7 }));
  stack.push(new layers.LSTM(16, rnn));
  if (variant === 'plain') stack.push(new layers.Dropout(0.2, { seed: 8 }));
  stack.push(new layers.Dense(1));
  return new Sequential(stack, { name: `lstm_${variant}` });
}

import { describe, expect, it } from 'vitest';
import { classNameToSnakeCase } from './naming.js';

describe('classNameToSnakeCase (Keras to_snake_case)', () => {
  it.each([
    ['Dense', 'dense'],
    ['Conv2D', 'conv2d'],
    ['MaxPooling2D', 'max_pooling2d'],
    ['BatchNormalization', 'batch_normalization'],
    ['GlobalAveragePooling2D', 'global_average_pooling2d'],
    ['SpatialDropout2D', 'spatial_dropout2d'],
    ['SimpleRNN', 'simple_rnn'],
    ['LSTM', 'lstm'],
    ['ReLU', 're_lu'],
    ['PReLU', 'p_re_lu'],
    ['Conv2DTranspose', 'conv2d_transpose'],
  ])('%s → %s', (className, expected) => {
    expect(classNameToSnakeCase(className)).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { kerasLayerGroups, kerasSnakeCase } from './keras-naming.js';

describe('Keras 3 weight group naming (saving_lib._save_container_state, naming.to_snake_case)', () => {
  it('snake-cases class names like keras.src.utils.naming.to_snake_case', () => {
    expect(kerasSnakeCase('Dense')).toBe('dense');
    expect(kerasSnakeCase('Conv2D')).toBe('conv2d');
    expect(kerasSnakeCase('MaxPooling2D')).toBe('max_pooling2d');
    expect(kerasSnakeCase('BatchNormalization')).toBe('batch_normalization');
    expect(kerasSnakeCase('LSTM')).toBe('lstm');
    expect(kerasSnakeCase('GlobalAveragePooling2D')).toBe('global_average_pooling2d');
    expect(kerasSnakeCase('ReLU')).toBe('re_lu');
  });

  it('de-duplicates as name, name_1, name_2 and skips the InputLayer of a Sequential', () => {
    const config = {
      class_name: 'Sequential',
      config: {
        name: 's',
        layers: [
          { class_name: 'InputLayer', config: { name: 'in' } },
          { class_name: 'Dense', config: { name: 'first' } },
          { class_name: 'Dropout', config: { name: 'drop' } },
          { class_name: 'Dense', config: { name: 'second' } },
          { class_name: 'Dense', config: { name: 'third' } },
        ],
      },
    };
    expect(kerasLayerGroups(config).map((g) => [g.layerName, g.group])).toEqual([
      ['first', 'layers/dense'],
      ['drop', 'layers/dropout'],
      ['second', 'layers/dense_1'],
      ['third', 'layers/dense_2'],
    ]);
  });

  it('keeps the InputLayer of a Functional model (Functional.layers includes it)', () => {
    const config = {
      class_name: 'Functional',
      config: {
        name: 'f',
        layers: [
          { class_name: 'InputLayer', name: 'x', config: { name: 'x' } },
          { class_name: 'Dense', name: 'd', config: { name: 'd' } },
        ],
      },
    };
    expect(kerasLayerGroups(config).map((g) => g.group)).toEqual(['layers/input_layer', 'layers/dense']);
  });
});

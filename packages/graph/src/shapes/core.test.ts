import { describe, expect, it } from 'vitest';
import type { JsonObject, Shape } from '../ir.js';
import { ShapeError, UnknownLayerError } from './errors.js';
import { hasShapeRule, inferLayerOutputShapes } from './infer.js';

const infer = (className: string, config: JsonObject, ...inputs: Shape[]): Shape[] =>
  inferLayerOutputShapes(className, { name: 'l', ...config }, inputs);

describe('core layers', () => {
  it('InputLayer reads batch_shape (Keras 3), batch_input_shape (Keras 2) or shape + batch_size', () => {
    expect(infer('InputLayer', { batch_shape: [null, 28, 28, 1] })).toEqual([[null, 28, 28, 1]]);
    expect(infer('InputLayer', { batch_input_shape: [null, 4] })).toEqual([[null, 4]]);
    expect(infer('InputLayer', { shape: [3], batch_size: 8 })).toEqual([[8, 3]]);
    expect(() => infer('InputLayer', {})).toThrow('Layer "l" (InputLayer): config declares no input shape');
  });

  it('Dense replaces the last dimension, on any rank', () => {
    expect(infer('Dense', { units: 10 }, [null, 64])).toEqual([[null, 10]]);
    expect(infer('Dense', { units: 5 }, [null, 7, 3])).toEqual([[null, 7, 5]]);
    expect(() => infer('Dense', { units: 5 }, [null, null])).toThrow(
      'Layer "l" (Dense): expected input with a known last dimension, got shape [null, null]',
    );
    expect(() => infer('Dense', {}, [null, 3])).toThrow(
      'Layer "l" (Dense): invalid config "units": expected an integer, got nothing',
    );
    expect(() => infer('Dense', { units: 2 }, [null, 3], [null, 3])).toThrow(
      'Layer "l" (Dense): expected 1 input, got 2 ([null, 3], [null, 3])',
    );
  });

  it('Embedding appends output_dim (Keras 3 has no input_length)', () => {
    expect(infer('Embedding', { input_dim: 100, output_dim: 20 }, [null, 10])).toEqual([[null, 10, 20]]);
    expect(infer('Embedding', { input_dim: 100, output_dim: 8 }, [null, null])).toEqual([[null, null, 8]]);
  });

  it.each(['Activation', 'ReLU', 'LeakyReLU', 'ELU', 'PReLU', 'Softmax', 'Rescaling', 'Masking'])(
    '%s keeps the shape',
    (className) => {
      expect(infer(className, {}, [null, 5, 3])).toEqual([[null, 5, 3]]);
    },
  );

  it('unknown classes throw UnknownLayerError naming the class', () => {
    expect(hasShapeRule('MyCustomLayer')).toBe(false);
    expect(() => infer('MyCustomLayer', {}, [null, 3])).toThrow(UnknownLayerError);
    expect(() => infer('MyCustomLayer', {}, [null, 3])).toThrow(
      'Layer "l": no shape rule for layer class "MyCustomLayer"',
    );
  });
});

describe('regularization layers', () => {
  it.each(['Dropout', 'GaussianDropout', 'GaussianNoise', 'AlphaDropout', 'ActivityRegularization', 'StochasticDepth'])(
    '%s keeps the shape',
    (className) => {
      expect(infer(className, { rate: 0.5 }, [null, 4, 6])).toEqual([[null, 4, 6]]);
    },
  );

  it('Dropout checks that noise_shape broadcasts', () => {
    expect(infer('Dropout', { rate: 0.5, noise_shape: [null, 1, 6] }, [null, 4, 6])).toEqual([[null, 4, 6]]);
    expect(() => infer('Dropout', { rate: 0.5, noise_shape: [null, 3, 6] }, [null, 4, 6])).toThrow(
      'Layer "l" (Dropout): noise_shape [null,3,6] does not broadcast to input shape [null, 4, 6]',
    );
  });

  it('SpatialDropout1D/2D/3D and DropBlock2D need rank 3/4/5/4 inputs', () => {
    expect(infer('SpatialDropout1D', { rate: 0.2 }, [null, 10, 4])).toEqual([[null, 10, 4]]);
    expect(infer('SpatialDropout2D', { rate: 0.2 }, [null, 8, 8, 4])).toEqual([[null, 8, 8, 4]]);
    expect(infer('SpatialDropout3D', { rate: 0.2 }, [null, 2, 8, 8, 4])).toEqual([[null, 2, 8, 8, 4]]);
    expect(infer('DropBlock2D', { rate: 0.1, block_size: 3 }, [null, 8, 8, 4])).toEqual([[null, 8, 8, 4]]);
    expect(() => infer('SpatialDropout2D', { rate: 0.2 }, [null, 10, 4])).toThrow(
      'Layer "l" (SpatialDropout2D): expected input of rank 4 (batch, rows, cols, channels), got shape [null, 10, 4]',
    );
    expect(() => infer('SpatialDropout2D', { rate: 0.2, data_format: 'channels_first' }, [null, 4, 8])).toThrow(
      'expected input of rank 4 (batch, channels, rows, cols), got shape [null, 4, 8]',
    );
    expect(() => infer('DropBlock2D', {}, [null, 64])).toThrow(ShapeError);
  });

  it('StochasticDepth on [shortcut, residual] needs equal shapes', () => {
    expect(infer('StochasticDepth', {}, [null, 4, 4, 8], [null, 4, 4, 8])).toEqual([[null, 4, 4, 8]]);
    expect(() => infer('StochasticDepth', {}, [null, 4, 4, 8], [null, 4, 4, 16])).toThrow(
      'Layer "l" (StochasticDepth): expected [shortcut, residual] of the same shape, got [null, 4, 4, 8] and [null, 4, 4, 16]',
    );
  });
});

describe('normalization layers', () => {
  it('keep the shape; the axis must exist and have a known size', () => {
    expect(infer('BatchNormalization', { axis: -1 }, [null, 8, 8, 16])).toEqual([[null, 8, 8, 16]]);
    expect(infer('BatchNormalization', { axis: [3] }, [null, 8, 8, 16])).toEqual([[null, 8, 8, 16]]);
    expect(infer('BatchNormalization', { axis: 1 }, [null, 16, 8, 8])).toEqual([[null, 16, 8, 8]]);
    expect(infer('LayerNormalization', { axis: [-2, -1] }, [null, 5, 6])).toEqual([[null, 5, 6]]);
    expect(() => infer('BatchNormalization', { axis: 3 }, [null, 8])).toThrow(
      'Layer "l" (BatchNormalization): axis 3 is out of range for input shape [null, 8] (valid: -2 to 1)',
    );
    expect(() => infer('LayerNormalization', { axis: -1 }, [null, 5, null])).toThrow(
      'expected a known size on axis -1, got shape [null, 5, null]',
    );
  });
});

describe('normalization rules added for Strata layers', () => {
  it('GroupNormalization keeps the shape and needs channels divisible by groups; RMSNormalization keeps the shape', () => {
    expect(infer('GroupNormalization', { groups: 2 }, [null, 5, 4])).toEqual([[null, 5, 4]]);
    expect(() => infer('GroupNormalization', { groups: 3 }, [null, 5, 4])).toThrow(/multiple of groups=3/);
    expect(infer('RMSNormalization', {}, [null, 7])).toEqual([[null, 7]]);
    expect(infer('DropConnectDense', { units: 3 }, [null, 7])).toEqual([[null, 3]]);
  });
});

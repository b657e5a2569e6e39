import { afterEach, describe, expect, it } from 'vitest';
import { Layer, layers, tf } from '@strata/core';
import { setImageDataFormat } from '../../../core/src/engine/image-data-format.js';
import { spatialDropoutFor } from './spatial-dropout-for.js';

describe('spatialDropoutFor', () => {
  afterEach(() => setImageDataFormat('channels_last'));

  it('matches the class and data format of Conv1D/2D/3D and other conv-like layers', () => {
    const cases: [Layer, unknown, string | undefined][] = [
      [new layers.Conv1D(2, { kernelSize: 3 }), layers.SpatialDropout1D, undefined],
      [new layers.Conv2D(2, { kernelSize: 3 }), layers.SpatialDropout2D, 'channels_last'],
      [
        new layers.Conv2D(2, { kernelSize: 3, dataFormat: 'channels_first' }),
        layers.SpatialDropout2D,
        'channels_first',
      ],
      [
        new layers.Conv3D(2, { kernelSize: 3, dataFormat: 'channels_first' }),
        layers.SpatialDropout3D,
        'channels_first',
      ],
      [new layers.SeparableConv2D(2, { kernelSize: 3 }), layers.SpatialDropout2D, 'channels_last'],
      [new layers.DepthwiseConv2D(3, { dataFormat: 'channels_first' }), layers.SpatialDropout2D, 'channels_first'],
      [new layers.Conv2DTranspose(2, { kernelSize: 3 }), layers.SpatialDropout2D, 'channels_last'],
      [new layers.MaxPooling2D(2, { dataFormat: 'channels_first' }), layers.SpatialDropout2D, 'channels_first'],
    ];
    for (const [conv, cls, format] of cases) {
      const layer = spatialDropoutFor(conv, 0.2, { seed: 1, name: `sd_${conv.name}` });
      expect(layer.constructor).toBe(cls);
      expect(layer.rate).toBe(0.2);
      expect(layer.getConfig()['dataFormat']).toBe(format);
      expect(layer.name).toBe(`sd_${conv.name}`);
    }
  });

  it('takes a rank and format (or just a rank, using the global format)', () => {
    expect(spatialDropoutFor({ rank: 3 }, 0.1)).toBeInstanceOf(layers.SpatialDropout3D);
    setImageDataFormat('channels_first');
    expect(spatialDropoutFor(2, 0.1).getConfig()['dataFormat']).toBe('channels_first');
  });

  it('drops whole channels of a channels-first 1D conv output with an equivalent Dropout', () => {
    const layer = spatialDropoutFor({ rank: 1, dataFormat: 'channels_first' }, 0.5, { seed: 3 });
    expect(layer.className).toBe('Dropout');
    const out = layer.apply(tf.ones([4, 6, 5]), { training: true }).arraySync() as number[][][];
    for (const sample of out) for (const channel of sample) expect(new Set(channel).size).toBe(1);
  });

  it('refuses non-conv layers and invalid ranks with clear errors', () => {
    expect(() => spatialDropoutFor(new layers.Dense(3, { name: 'fc' }), 0.1)).toThrow(
      /layer "fc" \(Dense\) is not convolution-like/,
    );
    expect(() => spatialDropoutFor({ rank: 4 }, 0.1)).toThrow(/invalid spatial rank 4; valid choices: 1, 2, 3/);
  });
});

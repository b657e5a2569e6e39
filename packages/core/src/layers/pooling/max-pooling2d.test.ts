import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { setImageDataFormat } from '../../engine/image-data-format.js';
import { MaxPooling2D } from './max-pooling2d.js';
import { describePoolingLayer } from './pooling.test-suite.js';

describePoolingLayer(
  {
    layer: MaxPooling2D,
    fixtureKey: 'max_pooling2d',
    rank: 2,
    channelsLast: { input: [6, 7, 4], output: [null, 3, 3, 4] },
    channelsFirst: { input: [4, 6, 7], output: [null, 4, 3, 3] },
    wrongPoolSize: [2, 2, 2],
  },
  () => {
    it('takes its default dataFormat from the global imageDataFormat()', () => {
      setImageDataFormat('channels_first');
      try {
        expect(new MaxPooling2D().apply(Input([3, 8, 6])).shape).toEqual([null, 3, 4, 3]);
      } finally {
        setImageDataFormat('channels_last');
      }
    });
  },
);

describe('MaxPooling2D options-object form', () => {
  it('takes Keras keyword arguments as one object: MaxPooling2D({ poolSize, strides })', () => {
    const byName = new MaxPooling2D({ poolSize: [3, 3], strides: 1, name: 'named_pool' });
    expect(byName.poolSize).toEqual([3, 3]);
    expect(byName.strides).toEqual([1, 1]);
    expect(byName.name).toBe('named_pool');
    expect(new MaxPooling2D({}).poolSize).toEqual([2, 2]);
  });
});

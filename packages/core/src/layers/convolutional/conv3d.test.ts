import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { itMatchesPlainConvReference } from './conv-reference.test-suite.js';
import { Conv3D } from './conv3d.js';

describe('Conv3D', () => {
  itMatchesPlainConvReference(Conv3D, 'conv3d');

  it('has Keras defaults, counts parameters and round-trips', () => {
    const layer = new Conv3D(8, { kernelSize: 3 });
    expect(layer.apply(Input([6, 6, 6, 2])).shape).toEqual([null, 4, 4, 4, 8]);
    expect(layer.countParams()).toBe(27 * 2 * 8 + 8);
    expect(layer.kerasConfig()).toMatchObject({
      kernel_size: [3, 3, 3],
      strides: [1, 1, 1],
      dilation_rate: [1, 1, 1],
      padding: 'valid',
    });
    expect(Conv3D.fromConfig(layer.getConfig()).getConfig()).toEqual(layer.getConfig());
    expect(() => new Conv3D(8, { kernelSize: [3, 3] })).toThrow(/list of 3 integers/);
  });
});

import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { layerFromConfig } from '../../engine/registry.js';
import { itMatchesConvTransposeReference } from './conv-reference.test-suite.js';
import { Conv3DTranspose } from './conv3d-transpose.js';

describe('Conv3DTranspose', () => {
  itMatchesConvTransposeReference(Conv3DTranspose, 'conv3d_transpose');

  it('has Keras 3 config keys, weights and defaults, and round-trips', () => {
    const layer = new Conv3DTranspose(8, { kernelSize: 3, strides: 2, padding: 'same' });
    expect(layer.apply(Input([4, 5, 6, 2])).shape).toEqual([null, 8, 10, 12, 8]);
    expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([
      ['kernel', [3, 3, 3, 8, 2]],
      ['bias', [8]],
    ]);
    expect(layer.kerasConfig()).toMatchObject({
      filters: 8,
      kernel_size: [3, 3, 3],
      strides: [2, 2, 2],
      padding: 'same',
      output_padding: null,
      dilation_rate: [1, 1, 1],
    });
    expect(layerFromConfig('Conv3DTranspose', layer.getConfig()).getConfig()).toEqual(layer.getConfig());
    expect(() => new Conv3DTranspose(2, { kernelSize: 3, strides: 2, outputPadding: [1, 2, 1] })).toThrow(
      /`outputPadding` must be strictly less than `strides`/,
    );
    expect(() => new Conv3DTranspose(2, { kernelSize: [3, 3] })).toThrow(/list of 3 integers/);
  });
});

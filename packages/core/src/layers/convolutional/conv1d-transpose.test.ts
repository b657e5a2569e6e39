import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { layerFromConfig } from '../../engine/registry.js';
import { itMatchesConvTransposeReference } from './conv-reference.test-suite.js';
import { Conv1DTranspose } from './conv1d-transpose.js';

describe('Conv1DTranspose', () => {
  itMatchesConvTransposeReference(Conv1DTranspose, 'conv1d_transpose');

  it('has Keras 3 config keys, weights and defaults, and round-trips', () => {
    const layer = new Conv1DTranspose(8, { kernelSize: 3, strides: 2, padding: 'same' });
    expect(layer.apply(Input([10, 4])).shape).toEqual([null, 20, 8]);
    expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([
      ['kernel', [3, 8, 4]],
      ['bias', [8]],
    ]);
    expect(layer.kerasConfig()).toMatchObject({
      filters: 8,
      kernel_size: [3],
      strides: [2],
      padding: 'same',
      output_padding: null,
      dilation_rate: [1],
    });
    expect(layerFromConfig('Conv1DTranspose', layer.getConfig()).getConfig()).toEqual(layer.getConfig());
    expect(() => new Conv1DTranspose(2, { kernelSize: 3, strides: 2, outputPadding: 2 })).toThrow(
      /`outputPadding` must be strictly less than `strides`/,
    );
    expect(() => new Conv1DTranspose(2, { kernelSize: [3, 3] })).toThrow(/list of 1 integer/);
  });
});

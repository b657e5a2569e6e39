import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { layerFromConfig } from '../../engine/registry.js';
import { itMatchesSeparableConvReference } from './conv-reference.test-suite.js';
import { SeparableConv1D } from './separable-conv1d.js';

describe('SeparableConv1D', () => {
  itMatchesSeparableConvReference(SeparableConv1D, 'separable_conv1d');

  it('has Keras 3 weights and config, and round-trips', () => {
    const layer = new SeparableConv1D(6, { kernelSize: 3, depthMultiplier: 2, padding: 'same' });
    expect(layer.apply(Input([10, 4])).shape).toEqual([null, 10, 6]);
    expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([
      ['depthwise_kernel', [3, 4, 2]],
      ['pointwise_kernel', [1, 8, 6]],
      ['bias', [6]],
    ]);
    expect(layer.countParams()).toBe(3 * 4 * 2 + 8 * 6 + 6);
    expect(layer.kerasConfig()).toMatchObject({
      filters: 6,
      kernel_size: [3],
      depth_multiplier: 2,
      strides: [1],
      padding: 'same',
    });
    expect(layerFromConfig('SeparableConv1D', layer.getConfig()).getConfig()).toEqual(layer.getConfig());
  });
});

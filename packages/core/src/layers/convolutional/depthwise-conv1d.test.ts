import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { layerFromConfig } from '../../engine/registry.js';
import { itMatchesDepthwiseConvReference } from './conv-reference.test-suite.js';
import { DepthwiseConv1D } from './depthwise-conv1d.js';

describe('DepthwiseConv1D', () => {
  itMatchesDepthwiseConvReference(DepthwiseConv1D, 'depthwise_conv1d');

  it('takes kernelSize first, has Keras 3 weights and config, and round-trips', () => {
    const layer = new DepthwiseConv1D(3, { depthMultiplier: 2 });
    expect(layer.apply(Input([10, 4])).shape).toEqual([null, 8, 8]);
    expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([
      ['kernel', [3, 4, 2]],
      ['bias', [8]],
    ]);
    expect(layer.kerasConfig()).toMatchObject({
      kernel_size: [3],
      depth_multiplier: 2,
      strides: [1],
      padding: 'valid',
    });
    expect(layerFromConfig('DepthwiseConv1D', layer.getConfig()).getConfig()).toEqual(layer.getConfig());
    expect(() => new DepthwiseConv1D(3, { padding: 'causal' })).toThrow(/valid choices: "valid", "same"/);
  });
});

import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { layerFromConfig } from '../../engine/registry.js';
import { RMSNormalization } from './rms-normalization.js';
import { expectMatchesReference } from '../reference.test-suite.js';

interface RmsCase {
  axis: number[];
  epsilon: number;
  input: number[];
  scale: number[];
  output: number[];
}
const fixture = JSON.parse(readFileSync(new URL('./normalization.fixture.json', import.meta.url), 'utf8')) as {
  rms_normalization: Record<string, RmsCase>;
};

describe('RMSNormalization', () => {
  it.each(Object.entries(fixture.rms_normalization))('matches the PyTorch reference to 1e-5: %s', (_, c) => {
    const layer = new RMSNormalization({ axis: c.axis.length === 1 ? -1 : c.axis, epsilon: c.epsilon });
    const x = tf.tensor(c.input);
    layer.maybeBuild(x.shape);
    const scale = tf.tensor(c.scale);
    layer.setWeights([scale]);
    expectMatchesReference(layer, x, c.output);
    // Shape-preserving: the symbolic output has the input's shape.
    expect(layer.apply(Input(x.shape.slice(1))).shape).toEqual([null, ...x.shape.slice(1)]);
    tf.dispose([x, scale]);
    layer.dispose();
  });

  it('has Keras 3 defaults (epsilon 1e-6, weight "scale"), keeps axis as a list after build, and round-trips', () => {
    const layer = new RMSNormalization();
    expect(layer.kerasConfig()).toMatchObject({ axis: -1, epsilon: 1e-6 });
    layer.apply(Input([5, 16]));
    expect(layer.getConfig()['axis']).toEqual([-1]);
    expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([['scale', [16]]]);
    expect(layerFromConfig('RMSNormalization', layer.getConfig()).getConfig()).toEqual(layer.getConfig());
    expect(() => new RMSNormalization(3).apply(Input([4]))).toThrow(/axis 3 is out of range/);
  });
});

import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { layerFromConfig } from '../../engine/registry.js';
import { UnitNormalization } from './unit-normalization.js';
import { expectMatchesReference } from '../reference.test-suite.js';

interface UnitCase {
  axis: number[];
  input: number[];
  output: number[];
}
const fixture = JSON.parse(readFileSync(new URL('./normalization.fixture.json', import.meta.url), 'utf8')) as {
  unit_normalization: Record<string, UnitCase>;
};

describe('UnitNormalization', () => {
  it.each(Object.entries(fixture.unit_normalization))('matches the PyTorch reference to 1e-5: %s', (_, c) => {
    const layer = new UnitNormalization({ axis: c.axis });
    const x = tf.tensor(c.input);
    expectMatchesReference(layer, x, c.output);
    // Shape-preserving: the symbolic output has the input's shape.
    expect(layer.apply(Input(x.shape.slice(1))).shape).toEqual([null, ...x.shape.slice(1)]);
    tf.dispose([x]);
  });

  it('keeps zero vectors at zero, has Keras config, and round-trips', () => {
    const layer = new UnitNormalization();
    const y = layer.apply(tf.zeros([1, 3]));
    expect(Array.from(y.dataSync())).toEqual([0, 0, 0]);
    y.dispose();
    expect(layer.kerasConfig()).toMatchObject({ axis: -1 });
    expect(Object.keys(layer.kerasConfig())).toEqual(['name', 'trainable', 'dtype', 'axis']);
    const custom = new UnitNormalization([1, 2]);
    expect(layerFromConfig('UnitNormalization', custom.getConfig()).getConfig()).toEqual(custom.getConfig());
    expect(layer.supportsMasking).toBe(true);
  });
});

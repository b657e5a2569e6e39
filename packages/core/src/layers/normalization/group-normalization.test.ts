import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { layerFromConfig } from '../../engine/registry.js';
import { GroupNormalization } from './group-normalization.js';
import { expectMatchesReference } from '../reference.test-suite.js';

interface GroupNormCase {
  groups: number;
  axis: number;
  epsilon: number;
  input: number[];
  gamma: number[];
  beta: number[];
  output: number[];
}
const fixture = JSON.parse(readFileSync(new URL('./normalization.fixture.json', import.meta.url), 'utf8')) as {
  group_normalization: Record<string, GroupNormCase>;
};

describe('GroupNormalization', () => {
  it.each(Object.entries(fixture.group_normalization))(
    'matches the PyTorch reference (F.group_norm) to 1e-5: %s',
    (name, c) => {
      // The instance-norm case uses Keras's groups = -1 (one group per channel).
      const groups = name === 'sequence_instance_norm' ? -1 : c.groups;
      const layer = new GroupNormalization({ groups, axis: c.axis, epsilon: c.epsilon });
      const x = tf.tensor(c.input);
      layer.maybeBuild(x.shape);
      expect(layer.groups).toBe(c.groups);
      const weights = [tf.tensor(c.gamma), tf.tensor(c.beta)];
      layer.setWeights(weights);
      expectMatchesReference(layer, x, c.output);
      // Shape-preserving: the symbolic output has the input's shape.
      expect(layer.apply(Input(x.shape.slice(1))).shape).toEqual([null, ...x.shape.slice(1)]);
      tf.dispose([x, ...weights]);
      layer.dispose();
    },
  );

  it('has Keras 3 defaults, config keys and weights, and round-trips', () => {
    const layer = new GroupNormalization();
    expect(Object.keys(layer.kerasConfig())).toEqual([
      'name',
      'trainable',
      'dtype',
      'groups',
      'axis',
      'epsilon',
      'center',
      'scale',
      'beta_initializer',
      'gamma_initializer',
      'beta_regularizer',
      'gamma_regularizer',
      'beta_constraint',
      'gamma_constraint',
    ]);
    expect(layer.kerasConfig()).toMatchObject({ groups: 32, axis: -1, epsilon: 1e-3, center: true, scale: true });
    layer.apply(Input([4, 64]));
    expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([
      ['gamma', [64]],
      ['beta', [64]],
    ]);
    const custom = new GroupNormalization(4, { axis: 1, center: false, gammaRegularizer: 'l2' });
    expect(layerFromConfig('GroupNormalization', custom.getConfig()).getConfig()).toEqual(custom.getConfig());
  });

  it('rejects bad arguments and inputs', () => {
    expect(() => new GroupNormalization(0)).toThrow(/`groups` must be a positive integer \(or -1/);
    expect(() => new GroupNormalization(3).apply(Input([4]))).toThrow(
      /channel count \(4\) must be a multiple of `groups` \(3\)/,
    );
    expect(() => new GroupNormalization(8).apply(Input([4]))).toThrow(
      /must be a multiple of `groups` \(8\) and at least as large/,
    );
  });
});

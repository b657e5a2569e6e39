import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Model } from '../../engine/model.js';
import { clearSession } from '../../utils/naming.js';
import { expectClose, expectConfigRoundTrip, expectNoLeaks } from '../core/layer-test-kit.test-suite.js';
import { PReLU } from './prelu.js';

describe('PReLU', () => {
  it('computes relu(x) - alpha * relu(-x) with learned alpha (hand-computed)', () => {
    const layer = new PReLU();
    layer.maybeBuild([null, 2]);
    const alpha = tf.tensor([0.1, 0.2]);
    layer.setWeights([alpha]);
    const x = tf.tensor([
      [-1, -1],
      [3, -2],
    ]);
    expectNoLeaks(() => {
      const y = layer.apply(x);
      expectClose(y, [
        [-0.1, -0.2],
        [3, -0.4],
      ]);
      return y;
    });
    tf.dispose([alpha, x]);
    layer.dispose();
  });

  it('creates alpha of the input shape (zeros by default), with shared axes set to 1', () => {
    clearSession();
    const layer = new PReLU();
    layer.apply(Input([4, 3]));
    expect(layer.weights.map((w) => [w.path, w.shape])).toEqual([['p_re_lu/alpha', [4, 3]]]);
    expect(Array.from(layer.weights[0]!.value.dataSync())).toEqual(new Array(12).fill(0));
    const shared = new PReLU({ sharedAxes: [1, 2] });
    const out = shared.apply(Input([5, 5, 3]));
    expect(out.shape).toEqual([null, 5, 5, 3]);
    expect(shared.weights[0]!.shape).toEqual([1, 1, 3]);
    // With shared axes, only the non-shared axes are pinned.
    expect(() => shared.apply(Input([7, 9, 3]))).not.toThrow();
    expect(() => shared.apply(Input([5, 5, 4]))).toThrow(/axis 3 .*size 3.*\(None, 5, 5, 4\)/);
    const single = new PReLU({ sharedAxes: 1 });
    expect(single.sharedAxes).toEqual([1]);
  });

  it('has Keras defaults and config keys; round-trips', () => {
    const layer = new PReLU();
    expect(Object.keys(layer.kerasConfig())).toEqual([
      'name',
      'trainable',
      'dtype',
      'alpha_initializer',
      'alpha_regularizer',
      'alpha_constraint',
      'shared_axes',
    ]);
    expect(layer.kerasConfig()).toMatchObject({
      alpha_initializer: { class_name: 'Zeros' },
      shared_axes: null,
      alpha_regularizer: null,
    });
    expectConfigRoundTrip(
      new PReLU({ alphaInitializer: 'ones', alphaRegularizer: 'l2', alphaConstraint: 'non_neg', sharedAxes: [1, 2] }),
    );
  });

  it('names the layer on bad sharedAxes and unknown sizes', () => {
    expect(() => new PReLU({ sharedAxes: [0], name: 'pr' })).toThrow(
      /"pr" \(PReLU\): sharedAxes entries must be integers ≥ 1/,
    );
    expect(() => new PReLU({ sharedAxes: [3] }).apply(Input([2]))).toThrow(/out of range for input shape \(None, 2\)/);
    expect(() => new PReLU().apply(Input([null, 2]))).toThrow(/known size.*\(None, None, 2\)/);
  });

  it('works in a functional Model', () => {
    const input = Input([2]);
    const layer = new PReLU({ alphaInitializer: { className: 'Constant', config: { value: 0.5 } } });
    const model = new Model({ inputs: input, outputs: layer.apply(input) });
    const x = tf.tensor([[-2, 2]]);
    const y = model.apply(x);
    expectClose(y, [[-1, 2]]);
    tf.dispose([x, y]);
    model.dispose();
  });
});

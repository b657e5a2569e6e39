import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Model } from '../../engine/model.js';
import { expectClose, expectConfigRoundTrip, expectNoLeaks } from '../core/layer-test-kit.test-suite.js';
import { LeakyReLU } from './leaky-relu.js';

describe('LeakyReLU', () => {
  it('uses Keras 3 default negativeSlope 0.3', () => {
    const layer = new LeakyReLU();
    expect(layer.negativeSlope).toBe(0.3);
    const x = tf.tensor([[-10, -1, 0, 2]]);
    expectNoLeaks(() => {
      const y = layer.apply(x);
      expectClose(y, [[-3, -0.3, 0, 2]]);
      return y;
    });
    const y = new LeakyReLU({ negativeSlope: 0.1 }).apply(x);
    expectClose(y, [[-1, -0.1, 0, 2]]);
    tf.dispose([x, y]);
  });

  it('has Keras config keys, round-trips, and reads the deprecated alpha of Keras 2 configs', () => {
    const layer = new LeakyReLU({ negativeSlope: 0.2 });
    expect(Object.keys(layer.kerasConfig())).toEqual(['name', 'trainable', 'dtype', 'negative_slope']);
    expectConfigRoundTrip(layer);
    const keras2 = LeakyReLU.fromConfig({ name: 'lr', alpha: 0.05 }) as LeakyReLU;
    expect(keras2.negativeSlope).toBe(0.05);
    expect(keras2.kerasConfig()).not.toHaveProperty('alpha');
  });

  it('rejects a negative slope and works symbolically', () => {
    expect(() => new LeakyReLU({ negativeSlope: -1, name: 'lk' })).toThrow(
      /"lk" \(LeakyReLU\): negativeSlope must be a number ≥ 0, got -1/,
    );
    const input = Input([3]);
    const model = new Model({ inputs: input, outputs: new LeakyReLU().apply(input) });
    expect(model.outputs[0]!.shape).toEqual([null, 3]);
  });
});

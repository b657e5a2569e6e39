import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Sequential } from '../../engine/sequential.js';
import { expectClose, expectConfigRoundTrip, expectNoLeaks } from '../core/layer-test-kit.test-suite.js';
import { ELU } from './elu.js';

describe('ELU', () => {
  it('computes x for x > 0 and alpha * (exp(x) - 1) otherwise (hand-computed)', () => {
    const x = tf.tensor([[-1, -0.5, 0, 2]]);
    expectNoLeaks(() => {
      const y = new ELU().apply(x);
      expectClose(y, [[-0.63212056, -0.39346934, 0, 2]]);
      return y;
    });
    expectNoLeaks(() => {
      const y = new ELU({ alpha: 2 }).apply(x);
      expectClose(y, [[-1.26424112, -0.78693868, 0, 2]]);
      return y;
    });
    x.dispose();
  });

  it('defaults to alpha 1, round-trips (alpha is written although Keras 3 omits it)', () => {
    expect(new ELU().alpha).toBe(1);
    const layer = new ELU({ alpha: 0.5 });
    expect(Object.keys(layer.kerasConfig())).toEqual(['name', 'trainable', 'dtype', 'alpha']);
    expect((expectConfigRoundTrip(layer) as ELU).alpha).toBe(0.5);
    // A Keras 3 file has no alpha: the default applies.
    expect((ELU.fromConfig({ name: 'e' }) as ELU).alpha).toBe(1);
    expect(() => new ELU({ alpha: Number.NaN })).toThrow(/alpha must be a finite number/);
  });

  it('works in Sequential', () => {
    const model = new Sequential([Input([2]), new ELU({ alpha: 2 })]);
    const x = tf.tensor([[-1, 3]]);
    const y = model.apply(x);
    expectClose(y, [[-1.26424112, 3]]);
    tf.dispose([x, y]);
  });
});

import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Model } from '../../engine/model.js';
import { expectClose, expectConfigRoundTrip, expectNoLeaks } from '../core/layer-test-kit.test-suite.js';
import { UpSampling2D } from './up-sampling2d.js';

interface BilinearCase {
  size: [number, number];
  input: number[][][][];
  output: number[][][][];
}
// From up-sampling2d.fixture.py (PyTorch bilinear, align_corners=False = half-pixel centers).
const fixture = JSON.parse(readFileSync(new URL('./up-sampling2d.fixture.json', import.meta.url), 'utf8')) as Record<
  string,
  BilinearCase
>;

describe('UpSampling2D', () => {
  it('repeats rows and columns with nearest interpolation (default [2, 2])', () => {
    const x = tf.tensor([
      [
        [[1], [2]],
        [[3], [4]],
      ],
    ]);
    expectNoLeaks(() => {
      const y = new UpSampling2D({ size: [1, 2] }).apply(x);
      expectClose(y, [
        [
          [[1], [1], [2], [2]],
          [[3], [3], [4], [4]],
        ],
      ]);
      return y;
    });
    const cf = tf.tensor([[[[1, 2]]]]); // (1, C=1, H=1, W=2)
    const y = new UpSampling2D({ size: 2, dataFormat: 'channels_first' }).apply(cf);
    expectClose(y, [
      [
        [
          [1, 1, 2, 2],
          [1, 1, 2, 2],
        ],
      ],
    ]);
    tf.dispose([x, cf, y]);
  });

  it.each(Object.entries(fixture))('matches PyTorch bilinear (%s) to 1e-5', (_, c) => {
    const x = tf.tensor(c.input);
    expectNoLeaks(() => {
      const y = new UpSampling2D({ size: c.size, interpolation: 'bilinear' }).apply(x);
      expectClose(y, c.output);
      return y;
    });
    x.dispose();
  });

  it('has Keras defaults and config keys; round-trips; validates arguments', () => {
    const layer = new UpSampling2D();
    expect(Object.keys(layer.kerasConfig())).toEqual([
      'name',
      'trainable',
      'dtype',
      'size',
      'data_format',
      'interpolation',
    ]);
    expect(layer.kerasConfig()).toMatchObject({ size: [2, 2], data_format: 'channels_last', interpolation: 'nearest' });
    expectConfigRoundTrip(new UpSampling2D({ size: [3, 1], interpolation: 'bilinear', dataFormat: 'channels_first' }));
    expect(() => new UpSampling2D({ interpolation: 'bicubic' as 'nearest', name: 'up' })).toThrow(
      /"up" \(UpSampling2D\): interpolation "bicubic" is not supported; valid choices: nearest, bilinear/,
    );
    expect(() => new UpSampling2D({ size: [0, 2] })).toThrow(/size must be a positive integer/);
  });

  it('has symbolic shapes and works in a Model', () => {
    const input = Input([3, 4, 2]);
    const out = new UpSampling2D({ size: [2, 3] }).apply(input);
    expect(out.shape).toEqual([null, 6, 12, 2]);
    expect(new UpSampling2D({ dataFormat: 'channels_first' }).apply(Input([2, 3, 4])).shape).toEqual([null, 2, 6, 8]);
    const model = new Model({ inputs: input, outputs: out });
    const x = tf.ones([1, 3, 4, 2]);
    const y = model.apply(x);
    expect(y.shape).toEqual([1, 6, 12, 2]);
    tf.dispose([x, y]);
  });
});

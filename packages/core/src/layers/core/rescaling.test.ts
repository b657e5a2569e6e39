import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { setImageDataFormat } from '../../engine/image-data-format.js';
import { Input } from '../../engine/input-layer.js';
import { Model } from '../../engine/model.js';
import { Sequential } from '../../engine/sequential.js';
import { expectClose, expectConfigRoundTrip, expectNoLeaks } from './layer-test-kit.test-suite.js';
import { Rescaling } from './rescaling.js';

describe('Rescaling', () => {
  afterEach(() => setImageDataFormat('channels_last'));

  it('computes x * scale + offset, casting integer input to float', () => {
    const layer = new Rescaling(1 / 127.5, { offset: -1 });
    const x = tf.tensor([[0, 127.5, 255]]);
    expectNoLeaks(() => {
      const y = layer.apply(x);
      expectClose(y, [[-1, 0, 1]]);
      return y;
    });
    const ints = tf.tensor([[0, 255]], undefined, 'int32');
    const y = new Rescaling(1 / 255).apply(ints);
    expect(y.dtype).toBe('float32');
    expectClose(y, [[0, 1]]);
    tf.dispose([x, ints, y]);
  });

  it('applies per-channel scales (channels_last, and [C,1,1] under channels_first as Keras)', () => {
    const x = tf.ones([1, 2, 2, 3]);
    const y = new Rescaling([1, 2, 3]).apply(x);
    expectClose(y, [
      [
        [
          [1, 2, 3],
          [1, 2, 3],
        ],
        [
          [1, 2, 3],
          [1, 2, 3],
        ],
      ],
    ]);
    setImageDataFormat('channels_first');
    const xf = tf.ones([1, 3, 1, 2]);
    const yf = new Rescaling([1, 2, 3]).apply(xf);
    expectClose(yf, [[[[1, 1]], [[2, 2]], [[3, 3]]]]);
    tf.dispose([x, y, xf, yf]);
  });

  it('has Keras defaults and config keys, round-trips, and reads Keras numpy-array configs', () => {
    const layer = new Rescaling(0.5);
    expect(Object.keys(layer.kerasConfig())).toEqual(['name', 'trainable', 'dtype', 'scale', 'offset']);
    expect(layer.kerasConfig()).toMatchObject({ scale: 0.5, offset: 0 });
    expect(layer.supportsMasking).toBe(true);
    expectConfigRoundTrip(layer);
    expectConfigRoundTrip(new Rescaling([1, 2], { offset: [0.5, 0.25] }));
    const fromNumpy = Rescaling.fromConfig({
      scale: { className: '__numpy__', config: { value: [2, 4], dtype: 'float32' } },
    });
    expect(fromNumpy.scale).toEqual([2, 4]);
    expect(() => new Rescaling('x' as unknown as number, { name: 'r' })).toThrow(
      /"r" \(Rescaling\): scale must be a number/,
    );
  });

  it('works symbolically in Model and Sequential', () => {
    const input = Input([4, 4, 3]);
    const out = new Rescaling(2).apply(input);
    expect(out.shape).toEqual([null, 4, 4, 3]);
    const model = new Model({ inputs: input, outputs: out });
    const seq = new Sequential([Input([2]), new Rescaling(3, { offset: 1 })]);
    const x = tf.ones([1, 2]);
    const y = seq.apply(x);
    expectClose(y, [[4, 4]]);
    tf.dispose([x, y]);
    model.dispose();
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { setImageDataFormat, imageDataFormat } from '../../engine/image-data-format.js';
import { Input } from '../../engine/input-layer.js';
import { Model } from '../../engine/model.js';
import { Sequential } from '../../engine/sequential.js';
import { expectClose, expectConfigRoundTrip, expectNoLeaks } from '../core/layer-test-kit.test-suite.js';
import { Flatten } from './flatten.js';

describe('Flatten', () => {
  afterEach(() => setImageDataFormat('channels_last'));

  it('flattens all but the batch axis; rank-1 input becomes (batch, 1)', () => {
    const x = tf.tensor([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
    ]);
    expectNoLeaks(() => {
      const y = new Flatten().apply(x);
      expectClose(y, [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
      ]);
      return y;
    });
    const v = tf.tensor([1, 2]);
    const y = new Flatten().apply(v);
    expectClose(y, [[1], [2]]);
    tf.dispose([x, v, y]);
  });

  it('moves channels last before flattening with channels_first (Keras order)', () => {
    // (batch=1, C=2, H=1, W=2): channel 0 = [1, 2], channel 1 = [3, 4] → channels-last order 1, 3, 2, 4.
    const x = tf.tensor([[[[1, 2]], [[3, 4]]]]);
    const y = new Flatten({ dataFormat: 'channels_first' }).apply(x);
    expectClose(y, [[1, 3, 2, 4]]);
    tf.dispose([x, y]);
  });

  it('reads its dataFormat default from imageDataFormat() and round-trips', () => {
    expect(imageDataFormat()).toBe('channels_last');
    const layer = new Flatten();
    expect(Object.keys(layer.kerasConfig())).toEqual(['name', 'trainable', 'dtype', 'data_format']);
    expect(layer.kerasConfig()['data_format']).toBe('channels_last');
    setImageDataFormat('channels_first');
    expect(new Flatten().dataFormat).toBe('channels_first');
    expectConfigRoundTrip(new Flatten({ dataFormat: 'channels_last' }));
    expect(() => new Flatten({ dataFormat: 'nhwc' as 'channels_last', name: 'f' })).toThrow(
      /"f" \(Flatten\).*"nhwc".*channels_last, channels_first/,
    );
    expect(() => setImageDataFormat('bad' as 'channels_last')).toThrow(/valid choices/);
  });

  it('works in Model and Sequential with symbolic shapes', () => {
    const input = Input([3, 4, 5]);
    const out = new Flatten().apply(input);
    expect(out.shape).toEqual([null, 60]);
    const model = new Model({ inputs: input, outputs: out });
    expect(new Flatten().apply(Input([null, 4])).shape).toEqual([null, null]);
    const seq = new Sequential([Input([2, 2]), new Flatten()]);
    const x = tf.ones([3, 2, 2]);
    const y = seq.apply(x);
    expect(y.shape).toEqual([3, 4]);
    tf.dispose([x, y]);
    model.dispose();
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Model } from '../../engine/model.js';
import { expectClose, expectConfigRoundTrip } from '../core/layer-test-kit.test-suite.js';
import { Add } from './add.js';
import { Average } from './average.js';
import type { Merge } from './base-merge.js';
import { Maximum } from './maximum.js';
import { Minimum } from './minimum.js';
import { Multiply } from './multiply.js';
import { Subtract } from './subtract.js';

const MERGES: [string, () => Merge][] = [
  ['Add', () => new Add()],
  ['Subtract', () => new Subtract()],
  ['Multiply', () => new Multiply()],
  ['Average', () => new Average()],
  ['Maximum', () => new Maximum()],
  ['Minimum', () => new Minimum()],
];

describe('Merge (shared by the elementwise merge layers)', () => {
  it.each(MERGES)('%s: only the base config keys; round-trips; supports masking', (_, make) => {
    const layer = make();
    expect(Object.keys(layer.kerasConfig())).toEqual(['name', 'trainable', 'dtype']);
    expect(layer.supportsMasking).toBe(true);
    expectConfigRoundTrip(layer);
  });

  it.each(MERGES)('%s: names the layer and the shapes when they do not broadcast', (className, make) => {
    const layer = make();
    expect(() => layer.apply([Input([3]), Input([4])])).toThrow(
      new RegExp(
        `"${layer.name}" \\(${className}\\): inputs have incompatible shapes \\[\\(None, 3\\), \\(None, 4\\)\\]`,
      ),
    );
  });

  it.each(MERGES)('%s: must be called on a list, with equal batch sizes', (_, make) => {
    const layer = make();
    expect(() => layer.apply(Input([3]))).toThrow(/must be called on a list of inputs.*\(None, 3\)/);
    const a = tf.ones([2, 3]);
    const b = tf.ones([3, 3]);
    expect(() => make().apply([a, b])).toThrow(/different batch sizes.*\(2, 3\), \(3, 3\)/);
    tf.dispose([a, b]);
  });

  it('broadcasts size-1 axes and expands lower-rank inputs at axis 1, as Keras', () => {
    const input3 = Input([4, 3]);
    const input1 = Input([1, 3]);
    expect(new Add().apply([input3, input1]).shape).toEqual([null, 4, 3]);
    const vec = Input([3]);
    const out = new Add().apply([input3, vec]);
    expect(out.shape).toEqual([null, 4, 3]);
    const model = new Model({ inputs: [input3, vec], outputs: out });
    const x = tf.tensor([
      [
        [1, 2, 3],
        [4, 5, 6],
        [0, 0, 0],
        [1, 1, 1],
      ],
    ]);
    const v = tf.tensor([[10, 20, 30]]);
    const y = model.apply([x, v]);
    expectClose(y, [
      [
        [11, 22, 33],
        [14, 25, 36],
        [10, 20, 30],
        [11, 21, 31],
      ],
    ]);
    tf.dispose([x, v, y]);
  });

  it('output mask is the OR of the input masks when every input has one, else none', () => {
    const layer = new Add();
    const x = tf.ones([1, 3, 2]);
    const m1 = tf.tensor([[true, false, false]], undefined, 'bool');
    const m2 = tf.tensor([[false, false, true]], undefined, 'bool');
    const mask = layer.computeMask([x, x], [m1, m2])!;
    expect(mask.arraySync()).toEqual([[1, 0, 1]]);
    expect(layer.computeMask([x, x], [m1, null])).toBeNull();
    expect(layer.computeMask([x, x], null)).toBeNull();
    tf.dispose([x, m1, m2, mask]);
  });
});

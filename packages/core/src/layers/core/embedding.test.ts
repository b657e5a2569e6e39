import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { Model } from '../../engine/model.js';
import { clearSession } from '../../utils/naming.js';
import { Sequential } from '../../engine/sequential.js';
import { RandomUniform } from '../../initializers/index.js';
import { Dense } from './dense.js';
import { Embedding } from './embedding.js';
import { expectClose, expectConfigRoundTrip, expectNoLeaks } from './layer-test-kit.test-suite.js';
import { MaskProbe } from '../mask-probe.test-suite.js';

// Row i of the table is [i, 10 * i + 1].
const TABLE = [
  [0, 1],
  [1, 11],
  [2, 21],
  [3, 31],
];

function embeddingWithTable(maskZero = false): Embedding {
  const layer = new Embedding(4, 2, { maskZero });
  layer.maybeBuild([null, null]);
  const table = tf.tensor(TABLE);
  layer.setWeights([table]);
  table.dispose();
  return layer;
}

describe('Embedding', () => {
  it('looks up rows of the table; float ids are cast to int32', () => {
    const layer = embeddingWithTable();
    const ids = tf.tensor(
      [
        [3, 0, 1],
        [2, 2, 0],
      ],
      undefined,
      'int32',
    );
    expectNoLeaks(() => {
      const y = layer.apply(ids);
      expectClose(y, [
        [
          [3, 31],
          [0, 1],
          [1, 11],
        ],
        [
          [2, 21],
          [2, 21],
          [0, 1],
        ],
      ]);
      return y;
    });
    const floatIds = tf.tensor([[1, 3]]);
    expectNoLeaks(() => {
      const y = layer.apply(floatIds);
      expectClose(y, [
        [
          [1, 11],
          [3, 31],
        ],
      ]);
      return y;
    });
    tf.dispose([ids, floatIds]);
    layer.dispose();
  });

  it('has Keras 3 defaults (uniform ±0.05 initializer), weight name and get_config keys', () => {
    clearSession();
    const layer = new Embedding(10, 3);
    const config = layer.kerasConfig();
    expect(Object.keys(config)).toEqual([
      'name',
      'trainable',
      'dtype',
      'input_dim',
      'output_dim',
      'embeddings_initializer',
      'embeddings_regularizer',
      'activity_regularizer',
      'embeddings_constraint',
      'mask_zero',
    ]);
    expect(config).toMatchObject({
      name: 'embedding',
      input_dim: 10,
      output_dim: 3,
      mask_zero: false,
      embeddings_regularizer: null,
      activity_regularizer: null,
      embeddings_constraint: null,
      embeddings_initializer: { class_name: 'RandomUniform', config: { minval: -0.05, maxval: 0.05, seed: null } },
    });
    expect(layer.supportsMasking).toBe(false);
    layer.maybeBuild([null, 5]);
    expect(layer.weights.map((w) => [w.path, w.shape])).toEqual([['embedding/embeddings', [10, 3]]]);
    const values = layer.weights[0]!.value.dataSync();
    expect(Math.max(...values)).toBeLessThanOrEqual(0.05);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-0.05);
    layer.dispose();
  });

  it('round-trips getConfig → fromConfig and accepts Keras 2 configs with input_length', () => {
    const layer = new Embedding(7, 2, {
      maskZero: true,
      embeddingsInitializer: new RandomUniform({ minval: -1, maxval: 1, seed: 3 }),
      embeddingsRegularizer: 'l2',
      embeddingsConstraint: 'unit_norm',
      activityRegularizer: 'l1',
    });
    const copy = expectConfigRoundTrip(layer) as Embedding;
    expect(copy.maskZero).toBe(true);
    const keras2 = Embedding.fromConfig({
      name: 'emb',
      inputDim: 5,
      outputDim: 4,
      inputLength: 8,
      embeddingsInitializer: 'uniform',
    });
    expect(keras2.kerasConfig()).not.toHaveProperty('input_length');
    expect(keras2.kerasConfig()['embeddings_initializer']).toMatchObject({ class_name: 'RandomUniform' });
  });

  it('computes the mask input != 0 only with maskZero', () => {
    const ids = tf.tensor([[2, 0, 1]], undefined, 'int32');
    const masked = embeddingWithTable(true);
    expect(masked.supportsMasking).toBe(true);
    const mask = masked.computeMask(ids, null)!;
    expect(mask.dtype).toBe('bool');
    expect(mask.arraySync()).toEqual([[1, 0, 1]]);
    expect(embeddingWithTable(false).computeMask(ids, null)).toBeNull();
    tf.dispose([ids, mask]);
  });

  it('propagates its mask through a functional model (via Dense) to a layer reading ctx.mask', () => {
    const input = Input([4], { dtype: 'int32' });
    const embedded = new Embedding(5, 3, { maskZero: true }).apply(input);
    expect(embedded.shape).toEqual([null, 4, 3]);
    const dense = new Dense(2).apply(embedded);
    const probe = new MaskProbe(true);
    const model = new Model({ inputs: input, outputs: probe.apply(dense) });
    const ids = tf.tensor(
      [
        [1, 2, 0, 0],
        [0, 4, 3, 0],
      ],
      undefined,
      'int32',
    );
    const y = model.apply(ids);
    expect(y.shape).toEqual([2, 4, 2]);
    expect(probe.seen).toEqual([
      [1, 1, 0, 0],
      [0, 1, 1, 0],
    ]);
    tf.dispose([ids, y]);
    model.dispose();
  });

  it('works in Sequential on integer input', () => {
    const model = new Sequential([Input([3], { dtype: 'int32' }), new Embedding(6, 2), new Dense(1)]);
    const ids = tf.tensor([[0, 5, 2]], undefined, 'int32');
    const y = model.apply(ids);
    expect(y.shape).toEqual([1, 3, 1]);
    tf.dispose([ids, y]);
    model.dispose();
  });

  it('refuses out-of-range ids, naming the layer, the id and the valid range', () => {
    const layer = embeddingWithTable();
    for (const bad of [4, -1]) {
      const ids = tf.tensor([[0, bad]], undefined, 'int32');
      const before = tf.memory().numTensors;
      expect(() => layer.apply(ids)).toThrow(
        new RegExp(`\\(Embedding\\): id ${bad} is out of range; ids must be in \\[0, 3\\] \\(inputDim 4\\)`),
      );
      expect(tf.memory().numTensors).toBe(before);
      ids.dispose();
    }
    layer.dispose();
  });

  it('rejects invalid dimensions, naming the layer', () => {
    expect(() => new Embedding(0, 3, { name: 'tok' })).toThrow(
      /"tok" \(Embedding\): inputDim must be a positive integer, got 0/,
    );
    expect(() => new Embedding(4, 1.5)).toThrow(/outputDim must be a positive integer, got 1.5/);
  });
});

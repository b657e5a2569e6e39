/**
 * Shared table-driven tests of `MaxPooling1D/2D/3D` and `AveragePooling1D/2D/3D`: each layer's own
 * `*.test.ts` calls {@link describePoolingLayer} with the numbers that differ per layer.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { layerFromConfig } from '../../engine/registry.js';
import type { IntOrTuple } from '../convolutional/base-conv.js';
import { expectMatchesReference } from '../reference.test-suite.js';
import type { BasePooling, PoolingArgs } from './base-pooling.js';

interface PoolCase {
  config: { pool_size: number[]; strides: number[]; padding: string; data_format: string };
  input: number[];
  output: number[];
}
const fixture = JSON.parse(readFileSync(new URL('./pooling.fixture.json', import.meta.url), 'utf8')) as Record<
  string,
  Record<string, PoolCase>
>;

/** What differs between the pooling layers' tests. */
export interface PoolingLayerSpec {
  /** The layer class (its `className` names the describe block and the registry entry). */
  layer: (new (poolSize?: IntOrTuple, args?: PoolingArgs) => BasePooling) & { readonly className: string };
  /** Key of the layer's cases in `pooling.fixture.json`, e.g. `max_pooling2d`. */
  fixtureKey: string;
  /** Number of spatial dimensions. */
  rank: number;
  /** A channels-last input shape (without batch) and the default layer's symbolic output shape. */
  channelsLast: { input: number[]; output: (number | null)[] };
  /** The same for `dataFormat: 'channels_first'` (also the input of the round-trip test). */
  channelsFirst: { input: number[]; output: (number | null)[] };
  /** A `poolSize` with the wrong number of values. */
  wrongPoolSize: number[];
}

/**
 * Declares the pooling layer's describe block: PyTorch reference, Keras defaults/config keys,
 * config round-trip and argument errors; `extra` adds layer-specific tests inside the block.
 */
export function describePoolingLayer(spec: PoolingLayerSpec, extra?: () => void): void {
  const { layer: PoolingLayer, rank } = spec;
  const name = PoolingLayer.className;
  const defaultTuple = Array.from({ length: rank }, () => 2);

  describe(name, () => {
    it.each(Object.entries(fixture[spec.fixtureKey]!))(
      'matches the PyTorch reference (TF "same" padding) to 1e-5: %s',
      (_, c) => {
        const layer = new PoolingLayer(c.config.pool_size, {
          strides: c.config.strides,
          padding: c.config.padding,
          dataFormat: c.config.data_format,
        });
        const x = tf.tensor(c.input);
        expectMatchesReference(layer, x, c.output);
        x.dispose();
      },
    );

    it('defaults to poolSize 2 with strides = poolSize, valid padding, channels_last (Keras config keys)', () => {
      const layer = new PoolingLayer();
      expect(layer.kerasConfig()).toEqual({
        name: layer.name,
        trainable: true,
        dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
        pool_size: defaultTuple,
        padding: 'valid',
        strides: defaultTuple,
        data_format: 'channels_last',
      });
      expect(layer.apply(Input(spec.channelsLast.input)).shape).toEqual(spec.channelsLast.output);
      expect(
        new PoolingLayer(2, { dataFormat: 'channels_first' }).apply(Input(spec.channelsFirst.input)).shape,
      ).toEqual(spec.channelsFirst.output);
      expect(new PoolingLayer(3, { strides: 1 }).getConfig()['strides']).toEqual(defaultTuple.map(() => 1));
    });

    it('round-trips getConfig → fromConfig and has no weights', () => {
      const layer = new PoolingLayer(3, { strides: 2, padding: 'SAME', dataFormat: 'channels_first' });
      expect(layer.getConfig()['padding']).toBe('same');
      expect(layerFromConfig(name, layer.getConfig()).getConfig()).toEqual(layer.getConfig());
      layer.apply(Input(spec.channelsFirst.input));
      expect(layer.countParams()).toBe(0);
    });

    it('rejects bad arguments and inputs', () => {
      expect(() => new PoolingLayer(0)).toThrow(new RegExp(`${name} .*\`poolSize\` values must be > 0`));
      expect(() => new PoolingLayer(spec.wrongPoolSize)).toThrow(
        new RegExp(`\`poolSize\` must be an integer or a list of ${rank} integer`),
      );
      expect(() => new PoolingLayer(2, { padding: 'causal' })).toThrow(
        /invalid padding "causal"; valid choices: "valid", "same"/,
      );
      expect(() => new PoolingLayer(2, { dataFormat: 'NHWC' })).toThrow(/channels_last, channels_first/);
      expect(() => new PoolingLayer(2).apply(Input([4]))).toThrow(new RegExp(`expected input of rank ${rank + 2}`));
    });

    extra?.();
  });
}

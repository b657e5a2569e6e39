/**
 * Shared table-driven tests of `GlobalAveragePooling1D/2D/3D` and `GlobalMaxPooling1D/2D/3D`: each
 * layer's own `*.test.ts` calls {@link describeGlobalPoolingLayer} with what differs per layer.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input } from '../../engine/input-layer.js';
import { layerFromConfig } from '../../engine/registry.js';
import type { BaseGlobalPooling, GlobalPoolingArgs } from './base-global-pooling.js';

/** The reduction each global pooling layer computes, with its hand reference over plain numbers. */
const reductions = {
  average: { word: 'mean', reduce: (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length },
  max: { word: 'max', reduce: (values: number[]): number => Math.max(...values) },
} as const;

/** Hand reference: the reduction over every position of each (batch, channel), from a channels-last array. */
function reference(x: tf.Tensor, reduce: (values: number[]) => number): number[][] {
  const batch = x.shape[0]!;
  const channels = x.shape[x.rank - 1]!;
  const flat = tf.tidy(() => tf.reshape(x, [batch, -1, channels]).arraySync()) as number[][][];
  return flat.map((positions) => Array.from({ length: channels }, (_, c) => reduce(positions.map((p) => p[c]!))));
}

/** What differs between the global pooling layers' tests. */
export interface GlobalPoolingLayerSpec {
  /** The layer class (its `className` names the describe block and the registry entry). */
  layer: (new (args?: GlobalPoolingArgs) => BaseGlobalPooling) & { readonly className: string };
  /** `average` or `max`. */
  mode: keyof typeof reductions;
  /** Shape of the random channels-last input, batch 2 and 3 channels, e.g. `[2, 4, 5, 3]`. */
  inputShape: number[];
  /** Its permutation to channels first, e.g. `[0, 3, 1, 2]`. */
  toChannelsFirst: number[];
  /** Output shapes with `keepdims`, channels last and channels first. */
  keptShape: number[];
  keptFirstShape: number[];
}

/**
 * Declares the global pooling layer's describe block: hand reference in both data formats and
 * with keepdims, symbolic shapes, Keras config keys, round-trip and errors; `extra` adds
 * layer-specific tests inside the block.
 */
export function describeGlobalPoolingLayer(spec: GlobalPoolingLayerSpec, extra?: () => void): void {
  const { layer: GlobalPooling } = spec;
  const name = GlobalPooling.className;
  const { word, reduce } = reductions[spec.mode];

  describe(name, () => {
    // Created per test: the backend is chosen in beforeAll, after collection.
    const makeInput = (): tf.Tensor => tf.randomNormal(spec.inputShape, 0, 1, 'float32', 7);

    it(`computes the ${word} over the spatial axes (hand reference, both data formats, keepdims)`, () => {
      const x = makeInput();
      const expected = reference(x, reduce);
      const before = tf.memory().numTensors;
      const y = new GlobalPooling().apply(x);
      expect(tf.memory().numTensors).toBe(before + 1);
      expect(y.shape).toEqual([2, 3]);
      const got = y.arraySync() as number[][];
      got.forEach((row, b) => row.forEach((v, c) => expect(Math.abs(v - expected[b]![c]!)).toBeLessThan(1e-5)));
      const channelsFirst = tf.transpose(x, spec.toChannelsFirst);
      const yFirst = new GlobalPooling({ dataFormat: 'channels_first' }).apply(channelsFirst);
      expect(tf.tidy(() => tf.max(tf.abs(tf.sub(yFirst, y))).dataSync()[0])).toBeLessThan(1e-6);
      const kept = new GlobalPooling({ keepdims: true }).apply(x);
      expect(kept.shape).toEqual(spec.keptShape);
      const keptFirst = new GlobalPooling({ keepdims: true, dataFormat: 'channels_first' }).apply(channelsFirst);
      expect(keptFirst.shape).toEqual(spec.keptFirstShape);
      tf.dispose([x, y, channelsFirst, yFirst, kept, keptFirst]);
    });

    it('gives symbolic shapes, Keras config keys/defaults, and round-trips', () => {
      const x = makeInput();
      const layer = new GlobalPooling();
      expect(layer.apply(Input(x.shape.slice(1))).shape).toEqual([null, 3]);
      expect(new GlobalPooling({ keepdims: true }).apply(Input(x.shape.slice(1))).shape).toEqual([
        null,
        ...spec.keptShape.slice(1),
      ]);
      const config = layer.kerasConfig();
      expect(Object.keys(config)).toEqual(['name', 'trainable', 'dtype', 'data_format', 'keepdims']);
      expect(config).toMatchObject({ data_format: 'channels_last', keepdims: false });
      const custom = new GlobalPooling({ dataFormat: 'channels_first', keepdims: true });
      x.dispose();
      expect(layerFromConfig(name, custom.getConfig()).getConfig()).toEqual(custom.getConfig());
    });

    extra?.();

    it('rejects bad inputs and arguments', () => {
      expect(() => new GlobalPooling().apply(Input([3]))).toThrow(
        new RegExp(`expected input of rank ${spec.inputShape.length}`),
      );
      expect(() => new GlobalPooling({ dataFormat: 'channels_middle' })).toThrow(
        new RegExp(`${name} .*channels_last, channels_first`),
      );
    });
  });
}

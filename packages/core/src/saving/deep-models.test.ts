/**
 * Very deep models build, save, load and run correctly. (How fast is `pnpm bench deep`'s
 * business; these tests only check results, with 2,000 layers.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JsonObject } from '@strata/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/select.js';
import { Input } from '../engine/input-layer.js';
import { Model } from '../engine/model.js';
import { Sequential } from '../engine/sequential.js';
import { tf } from '../index.js';
import { ReLU } from '../layers/activations/relu.js';
import { Dense } from '../layers/core/dense.js';
import { Add } from '../layers/merging/add.js';
import { loadModel, modelFromKerasJson, saveModel } from './index.js';

const DEPTH = 2000;
const dir = mkdtempSync(join(tmpdir(), 'strata-deep-'));
beforeAll(async () => {
  await initBackend();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** input → dense → relu_0 → … → relu_{n-1}, with the layers listed last first. */
function reversedChain(n: number): JsonObject {
  const tensor = (layer: string): JsonObject => ({
    class_name: '__keras_tensor__',
    config: { shape: [null, 3], dtype: 'float32', keras_history: [layer, 0, 0] },
  });
  const call = (from: string): JsonObject[] => [{ args: [tensor(from)], kwargs: {} }];
  const layers: JsonObject[] = [
    {
      module: 'keras.layers',
      class_name: 'InputLayer',
      registered_name: null,
      name: 'in',
      config: { name: 'in', batch_shape: [null, 3], dtype: 'float32' },
      inbound_nodes: [],
    },
    {
      module: 'keras.layers',
      class_name: 'Dense',
      registered_name: null,
      name: 'dense',
      config: { name: 'dense', units: 3, kernel_initializer: 'ones', bias_initializer: 'zeros' },
      inbound_nodes: call('in'),
    },
  ];
  for (let i = 0; i < n; i++) {
    layers.push({
      module: 'keras.layers',
      class_name: 'ReLU',
      registered_name: null,
      name: `relu_${i}`,
      config: { name: `relu_${i}` },
      inbound_nodes: call(i === 0 ? 'dense' : `relu_${i - 1}`),
    });
  }
  return {
    module: 'keras',
    class_name: 'Functional',
    registered_name: 'Functional',
    config: {
      name: 'reversed',
      layers: layers.reverse(),
      input_layers: ['in', 0, 0],
      output_layers: [`relu_${n - 1}`, 0, 0],
    },
  };
}

describe(`deep models (${DEPTH} layers)`, () => {
  it('a Sequential of 2,000 layers calls each layer once, saves, loads and predicts like the original', async () => {
    const relus = Array.from({ length: DEPTH }, () => new ReLU());
    const model = new Sequential([Input([3]), new Dense(3, { kernelInitializer: 'ones' }), ...relus]);
    // One graph build for the whole stack: each layer has exactly one call node.
    expect(relus.every((layer) => layer.inboundNodes.length === 1)).toBe(true);
    expect(model.layers).toHaveLength(DEPTH + 1);
    const path = join(dir, 'deep.keras');
    await saveModel(model, path);
    const loaded = await loadModel(path);
    const x = tf.tensor2d([[1, -2, 0.5]]);
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(loaded.layers).toHaveLength(DEPTH + 1);
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
  });

  it('a functional chain of 2,000 layers listed in reverse loads in dependency order', () => {
    const model = modelFromKerasJson(reversedChain(DEPTH)) as Model;
    expect(model.layers.map((layer) => layer.name).slice(0, 4)).toEqual(['in', 'dense', 'relu_0', 'relu_1']);
    expect(model.layers.at(-1)!.name).toBe(`relu_${DEPTH - 1}`);
    const x = tf.tensor2d([[1, -2, 0.5]]);
    const y = model.predict(x) as tf.Tensor;
    // Dense with ones: every unit is 1 - 2 + 0.5 = -0.5; ReLU → 0.
    expect(Array.from(y.dataSync())).toEqual([0, 0, 0]);
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe('nested functional models', () => {
  it('a model calling a nested functional model twice saves and loads back (the graph check accepts its node numbering)', async () => {
    const innerInput = Input([4]);
    const inner = new Model({
      inputs: innerInput,
      outputs: new Dense(3, { kernelInitializer: 'ones' }).apply(innerInput) as never,
      name: 'inner_f',
    });
    const x = Input([4]);
    const a = inner.apply(x) as never;
    const b = inner.apply(x) as never;
    const model = new Model({
      inputs: x,
      outputs: new Dense(2, { kernelInitializer: 'ones' }).apply(new Add().apply([a, b]) as never) as never,
      name: 'outer',
    });
    const path = join(dir, 'nested.keras');
    await saveModel(model, path);
    const loaded = await loadModel(path);
    const input = tf.tensor2d([[1, 2, 3, 4]]);
    const [want, got] = [model.predict(input) as tf.Tensor, loaded.predict(input) as tf.Tensor];
    expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
    tf.dispose([input, want, got]);
    model.dispose();
    loaded.dispose();
  });
});

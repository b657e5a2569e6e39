import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input, InputLayer } from '../engine/input-layer.js';
import { Model } from '../engine/model.js';
import { Sequential } from '../engine/sequential.js';
import { getLayerClass, layerFromConfig } from '../engine/registry.js';
import { configToCamel } from '../utils/config-case.js';
import { Dense } from '../layers/core/dense.js';
import '../layers/index.js';
import { Concatenate } from '../layers/merging/concatenate.js';
import { Dropout } from '../layers/regularization/dropout.js';
import { modelFromIR, modelFromKerasJson, modelToIR, modelToKerasJson } from './index.js';
import { ScaleOffset, predictValues } from './test-support.test-suite.js';

function copyWeights(from: Model, to: Model): void {
  const values = from.getWeights();
  to.setWeights(values);
  values.forEach((v) => v.dispose());
}

describe('modelToIR / modelFromIR', () => {
  it('writes a Sequential model with Keras 3 names: module keras.layers, registered_name null, InputLayer batch_shape', () => {
    const model = new Sequential([Input([4]), new Dense(3, { activation: 'relu' }), new Dense(2)], { name: 'seq' });
    const json = JSON.parse(modelToKerasJson(model)) as Record<string, any>;
    expect(json['module']).toBe('keras');
    expect(json['class_name']).toBe('Sequential');
    expect(json['registered_name']).toBeNull();
    expect(json['build_config']).toEqual({ input_shape: [null, 4] });
    const config = json['config'];
    expect(Object.keys(config)).toEqual(['name', 'trainable', 'dtype', 'layers', 'build_input_shape']);
    expect(config.build_input_shape).toEqual([null, 4]);
    expect(config.layers[0]).toMatchObject({ module: 'keras.layers', class_name: 'InputLayer', registered_name: null });
    expect(config.layers[0].config.batch_shape).toEqual([null, 4]);
    expect(config.layers[1]).toMatchObject({
      module: 'keras.layers',
      class_name: 'Dense',
      registered_name: null,
      build_config: { input_shape: [null, 4] },
    });
    expect(config.layers[1].config.units).toBe(3);
    model.dispose();
  });

  it('round-trips a Sequential model: same JSON, same predictions after copying weights', () => {
    const model = new Sequential([Input([4]), new Dense(3, { activation: 'tanh' }), new Dropout(0.5), new Dense(2)]);
    const json = modelToKerasJson(model);
    const copy = modelFromKerasJson(json);
    expect(copy).toBeInstanceOf(Sequential);
    expect(modelToKerasJson(copy)).toBe(json);
    copyWeights(model, copy);
    const x = tf.randomNormal([2, 4]);
    expect(predictValues(copy, x)).toEqual(predictValues(model, x));
    x.dispose();
    model.dispose();
    copy.dispose();
  });

  it('round-trips a functional graph with a shared layer, a merge, training:true kwargs and a custom registered layer', () => {
    const a = Input([3], { name: 'a' });
    const b = Input([3], { name: 'b' });
    const shared = new Dense(4, { name: 'shared' });
    const left = shared.apply(a);
    const right = shared.apply(b);
    const merged = new Concatenate({ name: 'concat' }).apply([left, right]);
    const dropped = new Dropout(0.5, { name: 'mc_dropout' }).apply(merged, { training: true });
    const scaled = new ScaleOffset({ name: 'scale' }).apply(dropped);
    const out = new Dense(1, { name: 'head' }).apply(scaled);
    const model = new Model({ inputs: [a, b], outputs: out, name: 'graph' });
    const ir = modelToIR(model);
    expect(ir.className).toBe('Functional');
    const sharedIR = ir.layers.find((l) => l.name === 'shared')!;
    expect(sharedIR.nodes).toHaveLength(2);
    expect(ir.layers.find((l) => l.name === 'mc_dropout')!.nodes[0]!.kwargs).toEqual({ training: true });
    const custom = ir.layers.find((l) => l.name === 'scale')!;
    expect(custom.registeredName).toBe('strata_test>ScaleOffset');
    expect(custom.module).toBe('strata_test');

    const json = modelToKerasJson(model);
    const parsed = JSON.parse(json) as Record<string, any>;
    expect(parsed['module']).toBe('keras.src.models.functional');
    expect(parsed['registered_name']).toBe('Functional');
    expect(parsed['config'].input_layers).toEqual([
      ['a', 0, 0],
      ['b', 0, 0],
    ]);
    // A single output is written as a flat triple, as Keras does for a non-list output.
    expect(parsed['config'].output_layers).toEqual(['head', 0, 0]);

    const copy = modelFromKerasJson(json);
    expect(modelToKerasJson(copy)).toBe(json);
    expect(copy.getLayer('shared').inboundNodes).toHaveLength(2);
    expect(copy.getLayer('mc_dropout').inboundNodes[0]!.kwargs).toEqual({ training: true });
    expect(copy.getLayer('scale')).toBeInstanceOf(ScaleOffset);
    model.dispose();
    copy.dispose();
  });

  it('rebuilds nested models (a Sequential and a functional model inside a functional model)', () => {
    const inner = new Sequential([Input([3]), new Dense(2, { name: 'inner_dense' })], { name: 'inner_seq' });
    const fi = Input([2], { name: 'fi' });
    const innerFunctional = new Model({
      inputs: fi,
      outputs: new Dense(2, { name: 'f_dense' }).apply(fi),
      name: 'inner_fn',
    });
    const x = Input([3], { name: 'x' });
    const y = innerFunctional.apply(inner.apply(x));
    const outer = new Model({ inputs: x, outputs: y, name: 'outer' });
    const json = modelToKerasJson(outer);
    const parsed = JSON.parse(json) as Record<string, any>;
    const innerFnEntry = parsed['config'].layers.find((l: any) => l.name === 'inner_fn');
    // Keras numbers a nested functional model's first call 1 (node 0 is its own).
    expect(parsed['config'].output_layers).toEqual(['inner_fn', 1, 0]);
    expect(innerFnEntry.inbound_nodes[0].args[0].config.keras_history).toEqual(['inner_seq', 0, 0]);
    // Keras 3 writes build_config {input_shape: null} for functional models; a Sequential records its input shape.
    expect(innerFnEntry.build_config).toEqual({ input_shape: null });
    expect(parsed['build_config']).toEqual({ input_shape: null });
    expect(parsed['config'].layers.find((l: any) => l.name === 'inner_seq').build_config).toEqual({
      input_shape: [null, 3],
    });
    const copy = modelFromKerasJson(json);
    expect(modelToKerasJson(copy)).toBe(json);
    expect(copy.getLayer('inner_seq')).toBeInstanceOf(Sequential);
    expect(copy.getLayer('inner_fn')).toBeInstanceOf(Model);
    copyWeights(outer, copy);
    const input = tf.randomNormal([2, 3]);
    expect(predictValues(copy, input)).toEqual(predictValues(outer, input));
    input.dispose();
    outer.dispose();
    copy.dispose();
  });

  it('keeps initial states of a recurrent call (Keras 3 initial_state kwarg of __keras_tensor__ references)', () => {
    const seq = Input([4, 3], { name: 'seq' });
    const h = Input([2], { name: 'h' });
    const c = Input([2], { name: 'c' });
    const lstm = layerFromConfig('LSTM', { units: 2, name: 'lstm' });
    const out = lstm.apply(seq, { initialState: [h, c] });
    const model = new Model({ inputs: [seq, h, c], outputs: out, name: 'with_state' });
    const json = modelToKerasJson(model);
    const entry = (JSON.parse(json) as Record<string, any>)['config'].layers.find((l: any) => l.name === 'lstm');
    expect(entry.inbound_nodes[0].args).toHaveLength(1);
    expect(entry.inbound_nodes[0].kwargs.initial_state.map((t: any) => t.config.keras_history)).toEqual([
      ['h', 0, 0],
      ['c', 0, 0],
    ]);
    const copy = modelFromKerasJson(json);
    expect(modelToKerasJson(copy)).toBe(json);
    expect(copy.getLayer('lstm').inboundNodes[0]!.initialStateCount).toBe(2);
    copyWeights(model, copy);
    const xs = [tf.randomNormal([1, 4, 3]), tf.randomNormal([1, 2]), tf.randomNormal([1, 2])];
    const run = (m: Model): number[] => tf.tidy(() => Array.from((m.apply(xs) as tf.Tensor).dataSync()));
    expect(run(copy)).toEqual(run(model));
    const zeros = tf.tidy(() =>
      Array.from((model.apply([xs[0]!, tf.zeros([1, 2]), tf.zeros([1, 2])]) as tf.Tensor).dataSync()),
    );
    expect(run(copy)).not.toEqual(zeros);
    xs.forEach((t) => t.dispose());
    model.dispose();
    copy.dispose();
  });

  it('registers Sequential and Functional so a model config can be built from the registry', () => {
    expect(getLayerClass('Sequential')).toBeDefined();
    expect(getLayerClass('Functional')).toBeDefined();
    const model = new Sequential([Input([2]), new Dense(1)], { name: 'reg_seq' });
    const config = JSON.parse(modelToKerasJson(model)) as Record<string, any>;
    const rebuilt = layerFromConfig('Sequential', configToCamel(config['config']));
    expect(rebuilt).toBeInstanceOf(Sequential);
    expect(modelToKerasJson(rebuilt as Sequential)).toBe(modelToKerasJson(model));
    model.dispose();
    rebuilt.dispose();
  });

  it('reads Keras 2 JSON: batch_input_shape on the first layer becomes the InputLayer', () => {
    const keras2 = {
      class_name: 'Sequential',
      keras_version: '2.4.0',
      backend: 'tensorflow',
      config: {
        name: 'old',
        layers: [
          {
            class_name: 'Dense',
            config: {
              name: 'd1',
              units: 5,
              activation: 'relu',
              batch_input_shape: [null, 7],
              dtype: 'float32',
              use_bias: true,
              kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
              bias_initializer: { class_name: 'Zeros', config: {} },
              kernel_regularizer: null,
              trainable: true,
            },
          },
          { class_name: 'Dense', config: { name: 'd2', units: 1 } },
        ],
      },
    };
    const model = modelFromKerasJson(JSON.stringify(keras2));
    expect(model).toBeInstanceOf(Sequential);
    const input = (model as Sequential).input;
    expect(input).toBeInstanceOf(InputLayer);
    expect(input!.batchShape).toEqual([null, 7]);
    expect(model.layers.map((l) => l.name)).toEqual(['d1', 'd2']);
    expect(model.countParams()).toBe(7 * 5 + 5 + 5 + 1);
    model.dispose();
  });

  it('restores compile_config by calling compile() when the model has a training API', () => {
    const model = new Sequential([Input([2]), new Dense(1)]);
    const ir = modelToIR(model);
    ir.compileConfig = {
      optimizer: {
        module: 'keras.optimizers',
        class_name: 'Adam',
        config: { learning_rate: 0.01 },
        registered_name: null,
      },
      loss: 'mse',
      metrics: ['mae'],
    };
    const calls: Record<string, unknown>[] = [];
    const original = Sequential.prototype as unknown as { compile?: unknown };
    const had = Object.prototype.hasOwnProperty.call(original, 'compile');
    const saved = original.compile;
    const withCompile = (Model.prototype as unknown as { compile?: (args: Record<string, unknown>) => void }).compile;
    // Record the call whether or not the training API is present yet.
    original.compile = function (args: Record<string, unknown>): void {
      calls.push(args);
      if (typeof withCompile === 'function') withCompile.call(this, args);
    };
    try {
      const copy = modelFromIR(ir);
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({
        optimizer: { className: 'Adam', config: { learningRate: 0.01 } },
        loss: 'mse',
        metrics: ['mae'],
      });
      copy.dispose();
    } finally {
      if (had) original.compile = saved;
      else delete original.compile;
    }
    model.dispose();
  });
});

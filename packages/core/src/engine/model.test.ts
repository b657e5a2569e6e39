/**
 * `new Model(...)` takes Keras's two spellings and refuses what it would otherwise ignore.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Input, Model, layers, type KerasTensor } from '../index.js';

function graph(): { inputs: KerasTensor; outputs: KerasTensor } {
  const inputs = Input([3]);
  const outputs = new layers.Dense(2, { kernelInitializer: 'ones' }).apply(inputs) as KerasTensor;
  return { inputs, outputs };
}

describe('new Model', () => {
  it("accepts Keras's positional form Model(inputs, outputs, { name }) like the object form", () => {
    const { inputs, outputs } = graph();
    const positional = new Model(inputs, outputs, { name: 'positional' });
    const keyword = new Model({ inputs, outputs, name: 'keyword' });
    expect(positional.name).toBe('positional');
    expect(positional.inputs).toHaveLength(1);
    expect(positional.outputs).toHaveLength(1);
    const x = tf.ones([1, 3]);
    const [a, b] = [positional.predict(x, { verbose: 0 }), keyword.predict(x, { verbose: 0 })] as tf.Tensor[];
    expect(a!.arraySync()).toEqual([[3, 3]]);
    expect(b!.arraySync()).toEqual(a!.arraySync());
    tf.dispose([x, a!, b!]);
  });

  it('throws at once when the outputs are missing, instead of building an empty model', () => {
    const { inputs } = graph();
    expect(() => new Model(inputs, undefined as unknown as KerasTensor)).toThrow(/the outputs are missing/);
    expect(() => new Model({ inputs })).toThrow(/give both inputs and outputs/);
  });

  it('names unknown option keys and what was probably meant', () => {
    const { inputs, outputs } = graph();
    const keras2 = { input: inputs, output: outputs } as unknown as { inputs: KerasTensor; outputs: KerasTensor };
    expect(() => new Model(keras2)).toThrow(
      'Model: unknown option "input"; did you mean "inputs"? Valid options: inputs, outputs, name, trainable',
    );
    expect(() => new Model(inputs, outputs, { nmae: 'x' } as unknown as { name: string })).toThrow(
      /unknown option "nmae"; did you mean "name"\?/,
    );
  });
});

describe('compile, fit, evaluate and predict options', () => {
  function compiled(): Model {
    const { inputs, outputs } = graph();
    const model = new Model(inputs, outputs);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    return model;
  }

  it('refuse Keras snake_case keys, naming the camelCase option, instead of ignoring them', async () => {
    const model = compiled();
    const x = [[1, 2, 3]];
    const y = [[1, 1]];
    const snake = { batch_size: 1, validation_split: 0.5 } as unknown as Record<string, never>;
    await expect(model.fit(x, y, snake)).rejects.toThrow('fit: unknown option "batch_size"; did you mean "batchSize"?');
    await expect(model.evaluate(x, y, { return_dict: true } as unknown as Record<string, never>)).rejects.toThrow(
      'evaluate: unknown option "return_dict"; did you mean "returnDict"?',
    );
    expect(() => model.predict(x, { batch_size: 2 } as unknown as Record<string, never>)).toThrow(
      'predict: unknown option "batch_size"; did you mean "batchSize"?',
    );
    expect(() => model.compile({ loss: 'mse', loss_weights: [1] } as unknown as Record<string, never>)).toThrow(
      'compile: unknown option "loss_weights"; did you mean "lossWeights"?',
    );
  });

  it('list the valid options when nothing is close', async () => {
    const model = compiled();
    await expect(
      model.fit([[1, 2, 3]], [[1, 1]], { learningRate: 0.1 } as unknown as Record<string, never>),
    ).rejects.toThrow(/fit: unknown option "learningRate". Valid options: batchSize, epochs, verbose, validationSplit/);
  });
});

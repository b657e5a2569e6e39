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
  it('accepts Keras\'s positional form Model(inputs, outputs, { name }) like the object form', () => {
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
    expect(() => new Model(keras2)).toThrow('Model: unknown option "input"; did you mean "inputs"? Valid options: inputs, outputs, name, trainable');
    expect(() => new Model(inputs, outputs, { nmae: 'x' } as unknown as { name: string })).toThrow(/unknown option "nmae"; did you mean "name"\?/);
  });
});

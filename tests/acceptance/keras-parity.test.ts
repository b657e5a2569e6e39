/**
 * Acceptance (issue 2): Keras 3 parity of `model.summary()` and of Sequential's list
 * constructor, `add` and `pop`. The expected rows are what Keras 3 prints
 * (keras.io/examples/vision/mnist_convnet; keras/src/utils/summary_utils.py for the rules).
 */
import { describe, expect, it } from 'vitest';
import { Input, Model, Sequential, clearSession, layers, tf, type Layer } from '@strata/core';
import { twoInTwoOutModel } from './models.js';

function summaryLines(model: Model): string[] {
  const lines: string[] = [];
  model.summary((line) => lines.push(line));
  return lines;
}

/** The table's rows as trimmed cells (body rows only, header excluded). */
function rows(lines: string[]): string[][] {
  return lines
    .filter((l) => l.startsWith('│'))
    .map((l) =>
      l
        .split('│')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
}

function header(lines: string[]): string[] {
  return lines
    .find((l) => l.startsWith('┃'))!
    .split('┃')
    .slice(1, -1)
    .map((c) => c.trim());
}

function mnistConvnet(): Sequential {
  return new Sequential([
    Input([28, 28, 1]),
    new layers.Conv2D(32, { kernelSize: [3, 3], activation: 'relu' }),
    new layers.MaxPooling2D([2, 2]),
    new layers.Conv2D(64, { kernelSize: [3, 3], activation: 'relu' }),
    new layers.MaxPooling2D([2, 2]),
    new layers.Flatten(),
    new layers.Dropout(0.5),
    new layers.Dense(10, { activation: 'softmax' }),
  ]);
}

describe('summary of the Keras "Simple MNIST convnet"', () => {
  it("has Keras's title, columns, rows, parameter counts and totals", () => {
    clearSession();
    const model = mnistConvnet();
    const lines = summaryLines(model);
    expect(lines[0]).toBe('Model: "sequential"');
    expect(header(lines)).toEqual(['Layer (type)', 'Output Shape', 'Param #']);
    expect(rows(lines)).toEqual([
      ['conv2d (Conv2D)', '(None, 26, 26, 32)', '320'],
      ['max_pooling2d (MaxPooling2D)', '(None, 13, 13, 32)', '0'],
      ['conv2d_1 (Conv2D)', '(None, 11, 11, 64)', '18,496'],
      ['max_pooling2d_1 (MaxPooling2D)', '(None, 5, 5, 64)', '0'],
      ['flatten (Flatten)', '(None, 1600)', '0'],
      ['dropout (Dropout)', '(None, 1600)', '0'],
      ['dense (Dense)', '(None, 10)', '16,010'],
    ]);
    expect(lines.slice(-3)).toEqual([
      ' Total params: 34,826 (136.04 KB)',
      ' Trainable params: 34,826 (136.04 KB)',
      ' Non-trainable params: 0 (0.00 B)',
    ]);
    // Param # is right-aligned, as Keras's table.
    const convRow = lines.find((l) => l.includes('conv2d (Conv2D)'))!;
    expect(convRow).toMatch(/ 320 │$/);
    model.dispose();
  });

  it('counts non-trainable weights separately (BatchNormalization moving statistics)', () => {
    clearSession();
    const model = new Sequential([Input([4]), new layers.Dense(3), new layers.BatchNormalization()]);
    const lines = summaryLines(model);
    expect(rows(lines)[1]).toEqual(['batch_normalization (BatchNormalization)', '(None, 3)', '12']);
    expect(lines.slice(-3)).toEqual([
      ' Total params: 27 (108.00 B)',
      ' Trainable params: 21 (84.00 B)',
      ' Non-trainable params: 6 (24.00 B)',
    ]);
    model.dispose();
  });
});

describe('functional summary', () => {
  it('has the "Connected to" column with layer[node][tensor], InputLayer rows, a shared layer and a nested model', () => {
    clearSession();
    const model = twoInTwoOutModel();
    const lines = summaryLines(model);
    expect(lines[0]).toBe('Model: "two_heads"');
    expect(header(lines)).toEqual(['Layer (type)', 'Output Shape', 'Param #', 'Connected to']);
    const table = rows(lines);
    expect(table.map((r) => r[0])).toEqual([
      'left (InputLayer)',
      'right (InputLayer)',
      'shared (Dense)',
      'joined (Concatenate)',
      'trunk (Sequential)',
      'reg (Dense)',
      'cls (Dense)',
    ]);
    const byName = Object.fromEntries(table.map((r) => [r[0]!.split(' ')[0], r.slice(1)]));
    expect(byName['left']).toEqual(['(None, 4)', '0', '-']);
    expect(byName['shared']![1]).toBe('30');
    expect(byName['shared']![2]).toBe('left[0][0], right[0][0]');
    expect(byName['joined']).toEqual(['(None, 12)', '0', 'shared[0][0], shared[1][0]']);
    expect(byName['trunk']).toEqual(['(None, 8)', String(12 * 8 + 8 + 8 * 8 + 8), 'joined[0][0]']);
    expect(byName['reg']).toEqual(['(None, 1)', '9', 'trunk[0][0]']);
    expect(byName['cls']).toEqual(['(None, 3)', '27', 'trunk[0][0]']);
    expect(lines.slice(-3)[0]).toBe(' Total params: 242 (968.00 B)');
    model.dispose();
  });

  it('a shared layer shows ONE output shape, that of its last call, as Keras (format_layer_shape keeps the last node)', () => {
    clearSession();
    const model = twoInTwoOutModel();
    const shared = rows(summaryLines(model)).find((r) => r[0] === 'shared (Dense)')!;
    expect(shared[1]).toBe('(None, 6)');
    model.dispose();
  });

  it('a functional model that is a plain chain prints sequential-like: InputLayer row, no "Connected to" column (Keras print_summary)', () => {
    clearSession();
    const input = Input([4]);
    const hidden = new layers.Dense(3).apply(input);
    const model = new Model({ inputs: input, outputs: new layers.Dense(2).apply(hidden) });
    const lines = summaryLines(model);
    expect(lines[0]).toBe('Model: "functional"');
    expect(header(lines)).toEqual(['Layer (type)', 'Output Shape', 'Param #']);
    expect(rows(lines)).toEqual([
      ['input_layer (InputLayer)', '(None, 4)', '0'],
      ['dense (Dense)', '(None, 3)', '15'],
      ['dense_1 (Dense)', '(None, 2)', '8'],
    ]);
    model.dispose();
  });
});

describe('Sequential: list constructor, add and pop behave as Keras', () => {
  it('the list constructor and add build the same model', () => {
    clearSession();
    const listed = new Sequential([Input([4]), new layers.Dense(3, { name: 'a' }), new layers.Dense(2, { name: 'b' })]);
    const added = new Sequential();
    added.add(Input([4]));
    added.add(new layers.Dense(3, { name: 'a' }));
    added.add(new layers.Dense(2, { name: 'b' }));
    expect(added.layers.map((l) => l.name)).toEqual(listed.layers.map((l) => l.name));
    expect(rows(summaryLines(added))).toEqual(rows(summaryLines(listed)));
    expect(added.outputs[0]!.shape).toEqual([null, 2]);
    listed.dispose();
    added.dispose();
  });

  it('pop removes and returns the last layer and rebuilds: outputs, weights, predict and summary follow', async () => {
    clearSession();
    const model = new Sequential([Input([4]), new layers.Dense(3), new layers.Dense(2)]);
    const before = model.weights.length;
    const popped: Layer = model.pop();
    expect(popped.name).toBe('dense_1');
    expect(model.layers.map((l) => l.name)).toEqual(['dense']);
    expect(model.outputs[0]!.shape).toEqual([null, 3]);
    expect(model.weights.length).toBe(before - 2);
    const out = model.predict([[1, 2, 3, 4]], { verbose: 0 }) as tf.Tensor;
    expect(out.shape).toEqual([1, 3]);
    out.dispose();
    expect(rows(summaryLines(model))).toEqual([['dense (Dense)', '(None, 3)', '15']]);
    expect(summaryLines(model).slice(-3)[0]).toBe(' Total params: 15 (60.00 B)');
    // It still trains after pop, on the new output shape.
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const history = await model.fit([[1, 2, 3, 4]], [[0, 1, 0]], { verbose: 0 });
    expect(history.history['loss']).toHaveLength(1);
    // Adding after pop rebuilds again.
    model.add(new layers.Dense(5));
    expect(model.outputs[0]!.shape).toEqual([null, 5]);
    expect(rows(summaryLines(model)).map((r) => r[2])).toEqual(['15', '20']);
    model.dispose();
    popped.dispose();
  });

  it('a Sequential without an input shape is unbuilt: "?" shapes and "0 (unbuilt)" params, as Keras', () => {
    clearSession();
    const model = new Sequential([new layers.Dense(3), new layers.Dense(2)]);
    expect(rows(summaryLines(model))).toEqual([
      ['dense (Dense)', '?', '0 (unbuilt)'],
      ['dense_1 (Dense)', '?', '0 (unbuilt)'],
    ]);
    expect(summaryLines(model).slice(-3)[0]).toBe(' Total params: 0 (0.00 B)');
    model.dispose();
  });

  it('a Sequential without an input shape is built by its first data; the summary then has shapes and counts', () => {
    clearSession();
    const model = new Sequential([new layers.Dense(3), new layers.Dense(2)]);
    tf.dispose(model.predict([[1, 2, 3, 4]], { verbose: 0 }) as tf.Tensor);
    expect(rows(summaryLines(model))).toEqual([
      ['dense (Dense)', '(None, 3)', '15'],
      ['dense_1 (Dense)', '(None, 2)', '8'],
    ]);
    model.dispose();
  });

  it('pop on an empty model and add of a second Input fail clearly', () => {
    clearSession();
    const model = new Sequential([Input([4])]);
    expect(() => model.pop()).toThrow(/no layer/);
    model.add(new layers.Dense(1));
    expect(() => model.add(Input([4]))).toThrow(/Input/);
    model.dispose();
  });
});

/**
 * Acceptance (issue 2): bad input gets a clear error — naming the layer (or input/output), the
 * expected and the actual shape or value, and the valid choices — never a crash deep in TF.js.
 * One test per case, all through the public API.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Input, Model, Sequential, layers, tf } from '@strata/core';

/** The message of the error `fn` throws (fails the test when it does not throw). */
function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return (error as Error).message;
  }
  throw new Error('expected an error, none was thrown');
}

async function asyncMessageOf(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return (error as Error).message;
  }
  throw new Error('expected an error, none was thrown');
}

/** TF.js's own low-level error texts: none of them may reach the user unexplained. */
function expectNotFromTfjs(message: string): void {
  expect(message).not.toMatch(
    /Operands could not be broadcast|Error in matMul|Error in concat|must match|Cannot read properties|is not a function|undefined/,
  );
}

function regressor(): Sequential {
  const model = new Sequential([Input([3]), new layers.Dense(1, { name: 'out' })]);
  model.compile({ loss: 'mse' });
  return model;
}

function twoInputs(): Model {
  const a = Input({ shape: [2], name: 'a' });
  const b = Input({ shape: [3], name: 'b' });
  const out = new layers.Dense(1, { name: 'y' }).apply(new layers.Concatenate().apply([a, b]));
  const model = new Model({ inputs: [a, b], outputs: out });
  model.compile({ loss: 'mse' });
  return model;
}

const x3 = [
  [1, 2, 3],
  [4, 5, 6],
];
const y1 = [[1], [2]];

describe('incompatible shapes at construction name the layer, the expected and the actual shape', () => {
  it('Conv2D after Flatten → Dense: the Conv2D needs rank 4, got (None, 4)', () => {
    const i = Input([8, 8, 1]);
    const dense = new layers.Dense(4).apply(new layers.Flatten().apply(i));
    const conv = new layers.Conv2D(2, { kernelSize: 3, name: 'conv_after_dense' });
    const msg = messageOf(() => conv.apply(dense));
    expect(msg).toContain('conv_after_dense');
    expect(msg).toContain('Conv2D');
    expect(msg).toMatch(/rank (≥ )?4|ndim=4/);
    expect(msg).toContain('(None, 4)');
  });

  it('Concatenate of (None, 3, 4) and (None, 5, 6) names both shapes and the axis', () => {
    const msg = messageOf(() => new layers.Concatenate({ name: 'cat' }).apply([Input([3, 4]), Input([5, 6])]));
    expect(msg).toContain('"cat"');
    expect(msg).toContain('(None, 3, 4)');
    expect(msg).toContain('(None, 5, 6)');
    expect(msg).toMatch(/axis/);
  });

  it('Add of (None, 3) and (None, 4) names both shapes', () => {
    const msg = messageOf(() => new layers.Add({ name: 'sum' }).apply([Input([3]), Input([4])]));
    expect(msg).toContain('"sum"');
    expect(msg).toContain('(None, 3)');
    expect(msg).toContain('(None, 4)');
  });

  it('a Dense built for 3 features and reused on 5 names both shapes', () => {
    const dense = new layers.Dense(2, { name: 'reused' });
    dense.apply(Input([3]));
    const msg = messageOf(() => dense.apply(Input([5])));
    expect(msg).toContain('reused');
    expect(msg).toContain('(None, 3)');
    expect(msg).toContain('(None, 5)');
  });

  it('Conv2D with a kernel larger than its input names the input shape and the kernel size', () => {
    const msg = messageOf(() => new layers.Conv2D(2, { kernelSize: 5, name: 'big_kernel' }).apply(Input([3, 3, 1])));
    expect(msg).toContain('big_kernel');
    expect(msg).toMatch(/3, 3, 1/);
    expect(msg).toMatch(/5, ?5/);
  });

  it('Reshape to an impossible target names the input and the target shape', () => {
    const msg = messageOf(() => new layers.Reshape([5], { name: 'bad_reshape' }).apply(Input([2, 3])));
    expect(msg).toContain('bad_reshape');
    expect(msg).toContain('(None, 2, 3)');
    expect(msg).toContain('(5,)');
  });
});

describe('unknown names list the valid choices', () => {
  const cases: [string, () => unknown, string, string[]][] = [
    [
      'loss',
      () => regressor().compile({ loss: 'mean_squared_eror' }),
      'mean_squared_eror',
      ['mean_squared_error', 'mse', 'categorical_crossentropy'],
    ],
    [
      'optimizer',
      () => regressor().compile({ optimizer: 'adamm', loss: 'mse' }),
      'adamm',
      ['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad'],
    ],
    [
      'metric',
      () => regressor().compile({ loss: 'mse', metrics: ['acuracy'] }),
      'acuracy',
      ['accuracy', 'mae', 'categorical_accuracy'],
    ],
    [
      'initializer',
      () => new layers.Dense(2, { kernelInitializer: 'glorot_uniformm' }),
      'glorot_uniformm',
      ['glorot_uniform', 'he_normal', 'zeros'],
    ],
    [
      'activation',
      () => new layers.Dense(2, { activation: 'relux' as never }),
      'relux',
      ['relu', 'sigmoid', 'softmax'],
    ],
    ['regularizer', () => new layers.Dense(2, { kernelRegularizer: 'l3' }), 'l3', ['l1', 'l2', 'l1_l2']],
    [
      'constraint',
      () => new layers.Dense(2, { kernelConstraint: 'nonneg2' }),
      'nonneg2',
      ['max_norm', 'non_neg', 'unit_norm'],
    ],
  ];
  for (const [kind, fn, bad, valid] of cases) {
    it(`unknown ${kind} "${bad}"`, () => {
      const msg = messageOf(fn);
      expect(msg).toContain(kind);
      expect(msg).toContain(`"${bad}"`);
      for (const name of valid) expect(msg).toContain(name);
    });
  }

  it('an unknown optimizer given as {className, config} is refused the same way', () => {
    const msg = messageOf(() => regressor().compile({ loss: 'mse', optimizer: { className: 'Adamm', config: {} } }));
    expect(msg).toContain('"Adamm"');
    expect(msg).toContain('adam');
  });

  it('invalid layer arguments name the layer, the argument, the value and the valid range/choices', () => {
    const units = messageOf(() => new layers.Dense(0, { name: 'no_units' }));
    expect(units).toContain('no_units');
    expect(units).toContain('units');
    expect(units).toContain('0');
    const padding = messageOf(() => new layers.Conv2D(2, { kernelSize: 3, padding: 'vaild' as never }));
    expect(padding).toContain('"vaild"');
    expect(padding).toContain('"valid"');
    expect(padding).toContain('"same"');
    const rate = messageOf(() => new layers.Dropout(1.5));
    expect(rate).toContain('rate');
    expect(rate).toContain('1.5');
  });
});

describe('wrong number of model inputs', () => {
  it('fit with one array for a two-input model lists the inputs', async () => {
    const msg = await asyncMessageOf(() => twoInputs().fit([[[1, 2]]], [[1]], { verbose: 0 }));
    expect(msg).toMatch(/expected 2/);
    expect(msg).toContain('a, b');
    expect(msg).toMatch(/got a list of 1/);
  });

  it('predict with three arrays for a two-input model', () => {
    const msg = messageOf(() => twoInputs().predict([[[1, 2]], [[1, 2, 3]], [[1]]], { verbose: 0 }));
    expect(msg).toMatch(/expected 2/);
    expect(msg).toContain('a, b');
    expect(msg).toMatch(/got a list of 3/);
  });

  it('evaluate with a single array for a two-input model', async () => {
    const x = tf.ones([2, 2]);
    const msg = await asyncMessageOf(() => twoInputs().evaluate(x, y1, { verbose: 0 }));
    x.dispose();
    expect(msg).toContain('2 inputs');
    expect(msg).toContain('a, b');
  });

  it('predict with a list of two tensors for a one-input model says 1 input expected, 2 given (Keras: "expects 1 input(s), but it received 2")', () => {
    const model = regressor();
    const [p, q] = [tf.ones([2, 3]), tf.ones([2, 3])];
    const msg = messageOf(() => model.predict([p, q], { verbose: 0 }));
    tf.dispose([p, q]);
    // Not "expected numbers, found an object (Tensor)": the user gave one array too many.
    expect(msg).toMatch(/\b1 (input|array)/);
    expect(msg).toMatch(/\b2\b/);
  });

  it('a dict with an unknown input name lists the expected names', async () => {
    const msg = await asyncMessageOf(() => twoInputs().fit({ a: [[1, 2]], c: [[1, 2, 3]] }, [[1]], { verbose: 0 }));
    expect(msg).toContain('"c"');
    expect(msg).toContain('a, b');
  });
});

describe('non-numeric data names the array and where the bad element is', () => {
  it('a string inside nested arrays', async () => {
    const msg = await asyncMessageOf(() => regressor().fit([[1, 'a', 3]] as never, [[1]], { verbose: 0 }));
    expect(msg).toMatch(/^x/);
    expect(msg).toContain('"a"');
    expect(msg).toContain('[0][1]');
  });

  it('an object inside nested arrays', async () => {
    const msg = await asyncMessageOf(() =>
      regressor().fit(
        [
          [1, 2, 3],
          [4, { v: 5 }, 6],
        ] as never,
        y1,
        { verbose: 0 },
      ),
    );
    expect(msg).toContain('object');
    expect(msg).toContain('[1][1]');
  });

  it('null inside nested arrays', () => {
    const msg = messageOf(() => regressor().predict([[1, null, 3]] as never, { verbose: 0 }));
    expect(msg).toContain('null');
    expect(msg).toContain('[0][1]');
  });

  it('a ragged nested array', () => {
    const msg = messageOf(() =>
      regressor().predict(
        [
          [1, 2, 3],
          [1, 2],
        ],
        { verbose: 0 },
      ),
    );
    expect(msg).toMatch(/ragged/);
    expect(msg).toContain('[1]');
  });

  it('a string tensor', () => {
    const s = tf.tensor(['a', 'b']);
    const msg = messageOf(() => regressor().predict(s as never, { verbose: 0 }));
    s.dispose();
    expect(msg).toContain('string');
  });

  it('strings in the targets name y and the OUTPUT they are for ("out"), not an input', async () => {
    const msg = await asyncMessageOf(() => regressor().fit(x3, [['a'], ['b']] as never, { verbose: 0 }));
    expect(msg).toMatch(/^y/);
    expect(msg).toContain('"a"');
    expect(msg).toContain('"out"');
    expect(msg).not.toMatch(/input "out"/);
  });

  it('{data, shape} with the wrong number of values', () => {
    const msg = messageOf(() => regressor().predict({ data: new Float32Array(5), shape: [2, 3] }, { verbose: 0 }));
    expect(msg).toContain('5 values');
    expect(msg).toContain('[2, 3]');
    expect(msg).toContain('6');
  });
});

describe('NaN in data', () => {
  afterEach(() => vi.restoreAllMocks());

  it('evaluate warns (console.warn) naming the input — for nested arrays, typed arrays and tensors', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const model = twoInputs();
    const b = tf.tensor2d([
      [1, 2, 3],
      [4, Number.NaN, 6],
    ]);
    await model.evaluate({ a: { data: new Float32Array([1, Number.NaN, 3, 4]), shape: [2, 2] }, b }, [[1], [2]], {
      verbose: 0,
    });
    b.dispose();
    const messages = warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('NaN'));
    // One warning per input per fit (not per epoch or batch).
    expect(messages).toHaveLength(2);
    expect(messages.some((m) => m.includes('"a"'))).toBe(true);
    expect(messages.some((m) => m.includes('"b"'))).toBe(true);
  });

  it('evaluate warns for NaN targets', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await regressor().evaluate(x3, [[1], [Number.NaN]], { verbose: 0 });
    expect(warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('NaN') && m.startsWith('y'))).toHaveLength(
      1,
    );
  });

  it('fit refuses NaN in training data, naming the batch and the input or target (no warning first)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const model = twoInputs();
    const msg = await asyncMessageOf(() =>
      model.fit(
        {
          a: [
            [1, 2],
            [3, 4],
          ],
          b: [
            [1, 2, 3],
            [4, Number.NaN, 6],
          ],
        },
        [[1], [2]],
        { verbose: 0, shuffle: false },
      ),
    );
    expect(msg).toContain('fit: batch 0 of epoch 1: input "b" holds NaN (sample 1 of the batch)');
    expect(
      await asyncMessageOf(() => regressor().fit(x3, [[1], [Number.NaN]], { verbose: 0, shuffle: false })),
    ).toMatch(/target for output ".*" holds NaN \(sample 1 of the batch\)/);
    expect(warn.mock.calls.filter((c) => String(c[0]).includes('NaN'))).toEqual([]);
  });
});

describe('data that does not fit the model', () => {
  it('different sample counts in x and y list every count', async () => {
    const msg = await asyncMessageOf(() =>
      regressor().fit(
        [
          [1, 2, 3],
          [4, 5, 6],
          [7, 8, 9],
        ],
        y1,
        { verbose: 0 },
      ),
    );
    expect(msg).toContain('x: 3');
    expect(msg).toContain('y: 2');
  });

  it('different sample counts between two inputs', async () => {
    const msg = await asyncMessageOf(() =>
      twoInputs().fit(
        [
          [[1, 2]],
          [
            [1, 2, 3],
            [4, 5, 6],
          ],
        ],
        [[1]],
        { verbose: 0 },
      ),
    );
    expect(msg).toContain('x["a"]: 1');
    expect(msg).toContain('x["b"]: 2');
  });

  it('predict with the wrong feature size names the input, the expected and the actual shape', () => {
    const msg = messageOf(() => regressor().predict([[1, 2]], { verbose: 0 }));
    expect(msg).toMatch(/input/);
    expect(msg).toContain('(None, 3)');
    expect(msg).toContain('(1, 2)');
  });

  it('fit with the wrong feature rank names the expected and the actual shape', async () => {
    const msg = await asyncMessageOf(() => regressor().fit([[[1, 2, 3]]], [[1]], { verbose: 0 }));
    expect(msg).toContain('(None, 3)');
    expect(msg).toContain('(1, 1, 3)');
  });

  it('sparse integer labels with categorical_crossentropy: the shapes and the loss to use instead', async () => {
    // Keras raises ValueError ("Arguments `target` and `output` must have the same shape") here.
    const model = new Sequential([Input([4]), new layers.Dense(3, { activation: 'softmax' })]);
    model.compile({ loss: 'categorical_crossentropy' });
    const msg = await asyncMessageOf(() =>
      model.fit(
        [
          [1, 2, 3, 4],
          [1, 1, 1, 1],
        ],
        [[2], [0]],
        { verbose: 0 },
      ),
    );
    expect(msg).toContain('categorical_crossentropy');
    expect(msg).toContain('[2, 1]');
    expect(msg).toContain('[2, 3]');
    expect(msg).toContain('sparse_categorical_crossentropy');
  });

  it('one-hot labels with sparse_categorical_crossentropy: the shapes', async () => {
    const model = new Sequential([Input([4]), new layers.Dense(3, { activation: 'softmax' })]);
    model.compile({ loss: 'sparse_categorical_crossentropy' });
    const msg = await asyncMessageOf(() =>
      model.fit(
        [
          [1, 2, 3, 4],
          [1, 1, 1, 1],
        ],
        [
          [0, 0, 1],
          [1, 0, 0],
        ],
        { verbose: 0 },
      ),
    );
    expect(msg).toContain('sparse_categorical_crossentropy');
    expect(msg).toContain('[2, 3]');
  });

  it('binary_crossentropy with targets [n, 1] for a 3-unit output is refused, as Keras ("target and output must have the same shape")', async () => {
    // keras/src/backend/*/nn.py binary_crossentropy raises ValueError when target.shape != output.shape;
    // broadcasting [2, 1] against [2, 3] silently trains on a wrong objective.
    const model = new Sequential([Input([4]), new layers.Dense(3, { activation: 'sigmoid' })]);
    model.compile({ loss: 'binary_crossentropy' });
    const msg = await asyncMessageOf(() =>
      model.fit(
        [
          [1, 2, 3, 4],
          [1, 1, 1, 1],
        ],
        [[0], [1]],
        { verbose: 0 },
      ),
    );
    expect(msg).toContain('binary_crossentropy');
    expect(msg).toContain('[2, 1]');
    expect(msg).toContain('[2, 3]');
  });

  it('mse with targets [n, 2] for a 3-unit output names the loss, the output and both shapes (not a TF.js broadcast error)', async () => {
    const model = new Sequential([Input([4]), new layers.Dense(3, { name: 'three' })]);
    model.compile({ loss: 'mse' });
    const msg = await asyncMessageOf(() =>
      model.fit(
        [
          [1, 2, 3, 4],
          [1, 1, 1, 1],
        ],
        [
          [0, 1],
          [1, 0],
        ],
        { verbose: 0 },
      ),
    );
    expect(msg).toMatch(/mse|mean_squared_error/);
    expect(msg).toContain('three');
    expect(msg).toMatch(/\[2, 2\]|\(2, 2\)/);
    expect(msg).toMatch(/\[2, 3\]|\(2, 3\)/);
    expectNotFromTfjs(msg);
  });
});

describe('sparse labels outside [0, classes)', () => {
  it('a label of 7 for a 3-class output is refused naming the loss and the label (Keras/TF: "Received a label value of 7 which is outside the valid range of [0, 3)")', async () => {
    // Keras 3's default (TensorFlow) backend raises InvalidArgumentError from sparse_softmax_cross_entropy_with_logits;
    // a one-hot of an out-of-range label is all zeros in TF.js, so the loss silently becomes -log(ε) ≈ 16.1.
    const model = new Sequential([Input([4]), new layers.Dense(3, { activation: 'softmax', name: 'classes' })]);
    model.compile({ loss: 'sparse_categorical_crossentropy' });
    const msg = await asyncMessageOf(() =>
      model.evaluate(
        [
          [1, 2, 3, 4],
          [1, 1, 1, 1],
        ],
        [0, 7],
        { verbose: 0 },
      ),
    );
    expect(msg).toContain('7');
    expect(msg).toMatch(/\[0, 3\)|0\.\.2|3 classes/);
  });
});

describe('training before compile', () => {
  it('fit, evaluate and trainOnBatch say to call compile() first, naming the model', async () => {
    const model = new Sequential([Input([3]), new layers.Dense(1)], { name: 'uncompiled' });
    for (const [method, run] of [
      ['fit', () => model.fit(x3, y1, { verbose: 0 })],
      ['evaluate', () => model.evaluate(x3, y1, { verbose: 0 })],
      ['trainOnBatch', async () => model.trainOnBatch(x3, y1)],
    ] as const) {
      const msg = await asyncMessageOf(run);
      expect(msg).toContain('"uncompiled"');
      expect(msg).toContain('compile()');
      expect(msg).toContain(`${method}()`);
    }
    // predict needs no compile, as in Keras.
    const out = model.predict(x3, { verbose: 0 }) as tf.Tensor;
    expect(out.shape).toEqual([2, 1]);
    out.dispose();
  });
});

/**
 * One example per rule, as Ruff's docs have them: a small model that triggers the rule and the
 * fixed model. Each is data (layer class, Strata constructor arguments, options) that renders as
 * Strata TypeScript for the docs and converts to the model IR for `rule-examples.test.ts`, which
 * lints both: the bad model must trigger the rule and the fixed one must not.
 */
import type { JsonObject, JsonValue, LayerIR, ModelIR } from '@strata/graph';

/** One layer of an example model. */
export interface ExampleLayer {
  /** Keras / Strata class name. */
  className: string;
  /** Positional constructor arguments (`[64]` for `Dense(64)`). */
  args?: JsonValue[];
  /** Options, camelCase as in Strata (`{ kernelSize: 3 }`). */
  options?: JsonObject;
  /** Variable and layer name in a functional example; also the layer's name in the IR. */
  name?: string;
  /** Functional examples: the names of the tensors it is applied to (`inputs` is the input). */
  inputs?: string[];
  /** Called with `{ training: true }` (Monte-Carlo dropout). */
  training?: boolean;
}

/** A small model: Sequential when no layer names its inputs, functional otherwise. */
export interface ExampleModel {
  /** Input shape without the batch dimension. */
  input: number[];
  layers: ExampleLayer[];
}

/** A model that triggers a rule, and the same model fixed. */
export interface RuleExample {
  bad: ExampleModel;
  good: ExampleModel;
}

/** Config keys of the positional constructor arguments, by class. */
const POSITIONAL: Readonly<Record<string, readonly string[]>> = {
  Dense: ['units'],
  Conv1D: ['filters'],
  Conv2D: ['filters'],
  Conv3D: ['filters'],
  Dropout: ['rate'],
  SpatialDropout1D: ['rate'],
  SpatialDropout2D: ['rate'],
  SpatialDropout3D: ['rate'],
  GaussianDropout: ['rate'],
  AlphaDropout: ['rate'],
  GaussianNoise: ['stddev'],
  DropBlock2D: ['rate'],
  StochasticDepth: ['rate'],
  Activation: ['activation'],
  SimpleRNN: ['units'],
  LSTM: ['units'],
  GRU: ['units'],
  Embedding: ['input_dim', 'output_dim'],
  MultiHeadAttention: ['num_heads', 'key_dim'],
};

/** Classes of `@strata/dropout` (not in `layers.`). */
const DROPOUT_PACKAGE_CLASSES = new Set(['DropBlock2D', 'StochasticDepth']);

const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function literal(value: JsonValue): string {
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${k}: ${literal(v)}`)
      .join(', ')} }`;
  }
  return JSON.stringify(value);
}

const isFunctional = (model: ExampleModel): boolean => model.layers.some((layer) => layer.inputs !== undefined);

function constructorCall(layer: ExampleLayer): string {
  const args = (layer.args ?? []).map(literal);
  const options = { ...(layer.options ?? {}) };
  if (!isFunctionalLayer(layer) && layer.name !== undefined) options['name'] = layer.name;
  if (Object.keys(options).length > 0) args.push(literal(options));
  const cls = DROPOUT_PACKAGE_CLASSES.has(layer.className) ? layer.className : `layers.${layer.className}`;
  return `new ${cls}(${args.join(', ')})`;
}

const isFunctionalLayer = (layer: ExampleLayer): boolean => layer.inputs !== undefined;

/** The example as Strata TypeScript. */
export function renderExample(model: ExampleModel): string {
  const input = `Input(${literal(model.input)})`;
  if (!isFunctional(model)) {
    return [
      'const model = new Sequential([',
      `  ${input},`,
      ...model.layers.map((layer) => `  ${constructorCall(layer)},`),
      ']);',
    ].join('\n');
  }
  const lines = [`const inputs = ${input};`];
  for (const layer of model.layers) {
    const from = layer.inputs!.length === 1 ? layer.inputs![0]! : `[${layer.inputs!.join(', ')}]`;
    lines.push(
      `const ${layer.name} = ${constructorCall(layer)}.apply(${from}${layer.training ? ', { training: true }' : ''});`,
    );
  }
  lines.push(`const model = new Model(inputs, ${model.layers[model.layers.length - 1]!.name});`);
  return lines.join('\n');
}

/** The example as the model IR that `lintModel` reads (Keras 3 config keys). */
export function exampleToIR(model: ExampleModel, name = 'example'): ModelIR {
  const functional = isFunctional(model);
  const counts = new Map<string, number>();
  const autoName = (className: string): string => {
    const base = snake(className)
      .replace(/^_/, '')
      .replace(/_(\d)d$/, '$1d');
    const n = counts.get(base) ?? 0;
    counts.set(base, n + 1);
    return n === 0 ? base : `${base}_${n}`;
  };
  const layers: LayerIR[] = [
    {
      className: 'InputLayer',
      name: 'inputs',
      config: { name: 'inputs', batch_shape: [null, ...model.input], dtype: 'float32' },
      nodes: [],
    },
  ];
  let previous = 'inputs';
  for (const layer of model.layers) {
    const layerName = layer.name ?? autoName(layer.className);
    const config: JsonObject = { name: layerName };
    (POSITIONAL[layer.className] ?? []).forEach((key, i) => {
      if (layer.args?.[i] !== undefined) config[key] = layer.args[i]!;
    });
    for (const [key, value] of Object.entries(layer.options ?? {})) config[snake(key)] = value;
    const inputs = functional ? layer.inputs! : [previous];
    layers.push({
      className: layer.className,
      name: layerName,
      config,
      nodes: [
        {
          inputs: inputs.map((input) => ({ layer: input, node: 0, index: 0 })),
          ...(inputs.length > 1 ? { inputsAsList: true } : {}),
          ...(layer.training ? { kwargs: { training: true } } : {}),
        },
      ],
    });
    previous = layerName;
  }
  return {
    className: functional ? 'Functional' : 'Sequential',
    name,
    layers,
    inputs: [{ layer: 'inputs', node: 0, index: 0 }],
    outputs: [{ layer: previous, node: 0, index: 0 }],
  };
}

// Shorthands for the table below.
const L = (className: string, args: JsonValue[] = [], options: JsonObject = {}): ExampleLayer => ({
  className,
  args,
  options,
});
const F = (
  name: string,
  className: string,
  inputs: string[],
  args: JsonValue[] = [],
  options: JsonObject = {},
): ExampleLayer => ({ name, className, inputs, args, options });
const relu = { activation: 'relu' };
const conv = (filters = 32, options: JsonObject = {}): ExampleLayer =>
  L('Conv2D', [filters], { kernelSize: 3, ...relu, ...options });
const dense = (units: number, options: JsonObject = relu): ExampleLayer => L('Dense', [units], options);
const softmax = (units = 10): ExampleLayer => L('Dense', [units], { activation: 'softmax' });
const image = [32, 32, 3];

/** The examples, by rule id. */
export const RULE_EXAMPLES: Readonly<Record<string, RuleExample>> = {
  'no-dropout-on-conv-feature-maps': {
    bad: { input: image, layers: [conv(), L('Dropout', [0.2]), L('MaxPooling2D'), L('Flatten'), softmax()] },
    good: { input: image, layers: [conv(), L('SpatialDropout2D', [0.2]), L('MaxPooling2D'), L('Flatten'), softmax()] },
  },
  'no-dropout-before-batchnorm': {
    bad: { input: [64], layers: [dense(128), L('Dropout', [0.3]), L('BatchNormalization'), softmax()] },
    good: { input: [64], layers: [dense(128), L('BatchNormalization'), L('Dropout', [0.3]), softmax()] },
  },
  'no-dropout-after-probabilities': {
    bad: { input: [64], layers: [dense(128), softmax(), L('Dropout', [0.2])] },
    good: { input: [64], layers: [dense(128), L('Dropout', [0.2]), softmax()] },
  },
  'no-trailing-dropout': {
    bad: { input: [64], layers: [dense(128), dense(10, {}), L('Dropout', [0.2])] },
    good: { input: [64], layers: [dense(128), L('Dropout', [0.2]), dense(10, {})] },
  },
  'no-consecutive-dropout': {
    bad: { input: [64], layers: [dense(128), L('Dropout', [0.3]), L('GaussianDropout', [0.1]), softmax()] },
    good: { input: [64], layers: [dense(128), L('Dropout', [0.3]), softmax()] },
  },
  'dropout-rate-invalid': {
    bad: { input: [64], layers: [dense(128), L('Dropout', [1.5]), softmax()] },
    good: { input: [64], layers: [dense(128), L('Dropout', [0.5]), softmax()] },
  },
  'dropout-rate-zero': {
    bad: { input: [64], layers: [dense(128), L('Dropout', [0]), softmax()] },
    good: { input: [64], layers: [dense(128), softmax()] },
  },
  'dropout-rate-high': {
    bad: { input: [64], layers: [dense(128), L('Dropout', [0.9]), softmax()] },
    good: { input: [64], layers: [dense(128), L('Dropout', [0.5]), softmax()] },
  },
  'input-dropout-rate-high': {
    bad: { input: [64], layers: [L('Dropout', [0.5]), dense(128), softmax()] },
    good: { input: [64], layers: [L('Dropout', [0.2]), dense(128), softmax()] },
  },
  'spatial-dropout-rank-mismatch': {
    bad: { input: image, layers: [conv(), L('Flatten'), L('SpatialDropout2D', [0.2]), softmax()] },
    good: { input: image, layers: [conv(), L('Flatten'), L('Dropout', [0.2]), softmax()] },
  },
  'spatial-dropout-data-format-mismatch': {
    bad: {
      input: [3, 32, 32],
      layers: [
        conv(32, { dataFormat: 'channels_first' }),
        L('SpatialDropout2D', [0.2], { dataFormat: 'channels_last' }),
        L('Flatten'),
        softmax(),
      ],
    },
    good: {
      input: [3, 32, 32],
      layers: [
        conv(32, { dataFormat: 'channels_first' }),
        L('SpatialDropout2D', [0.2], { dataFormat: 'channels_first' }),
        L('Flatten'),
        softmax(),
      ],
    },
  },
  'batchnorm-axis-mismatch': {
    bad: {
      input: [3, 32, 32],
      layers: [
        conv(32, { dataFormat: 'channels_first' }),
        L('BatchNormalization', [], { axis: -1 }),
        L('Flatten'),
        softmax(),
      ],
    },
    good: {
      input: [3, 32, 32],
      layers: [
        conv(32, { dataFormat: 'channels_first' }),
        L('BatchNormalization', [], { axis: 1 }),
        L('Flatten'),
        softmax(),
      ],
    },
  },
  'redundant-bias-before-batchnorm': {
    bad: {
      input: image,
      layers: [
        L('Conv2D', [32], { kernelSize: 3 }),
        L('BatchNormalization'),
        L('Activation', ['relu']),
        L('Flatten'),
        softmax(),
      ],
    },
    good: {
      input: image,
      layers: [
        L('Conv2D', [32], { kernelSize: 3, useBias: false }),
        L('BatchNormalization'),
        L('Activation', ['relu']),
        L('Flatten'),
        softmax(),
      ],
    },
  },
  'alpha-dropout-requires-selu': {
    bad: { input: [64], layers: [dense(128), L('AlphaDropout', [0.1]), softmax()] },
    good: {
      input: [64],
      layers: [
        dense(128, { activation: 'selu', kernelInitializer: 'lecun_normal' }),
        L('AlphaDropout', [0.1]),
        softmax(),
      ],
    },
  },
  'selu-prefers-alpha-dropout': {
    bad: {
      input: [64],
      layers: [
        dense(128, { activation: 'selu', kernelInitializer: 'lecun_normal' }),
        L('Dropout', [0.1]),
        dense(128, { activation: 'selu', kernelInitializer: 'lecun_normal' }),
        softmax(),
      ],
    },
    good: {
      input: [64],
      layers: [
        dense(128, { activation: 'selu', kernelInitializer: 'lecun_normal' }),
        L('AlphaDropout', [0.1]),
        dense(128, { activation: 'selu', kernelInitializer: 'lecun_normal' }),
        softmax(),
      ],
    },
  },
  'selu-requires-lecun-normal': {
    bad: { input: [64], layers: [dense(128, { activation: 'selu', kernelInitializer: 'glorot_uniform' }), softmax()] },
    good: { input: [64], layers: [dense(128, { activation: 'selu', kernelInitializer: 'lecun_normal' }), softmax()] },
  },
  'prefer-variational-rnn-dropout': {
    bad: {
      input: [20, 8],
      layers: [L('LSTM', [32], { returnSequences: true }), L('Dropout', [0.3]), L('LSTM', [32]), dense(1, {})],
    },
    good: {
      input: [20, 8],
      layers: [L('LSTM', [32], { returnSequences: true }), L('LSTM', [32], { dropout: 0.3 }), dense(1, {})],
    },
  },
  'rnn-cudnn-ineligible': {
    bad: { input: [20, 8], layers: [L('LSTM', [32], { recurrentDropout: 0.2 }), dense(1, {})] },
    good: { input: [20, 8], layers: [L('LSTM', [32], { dropout: 0.2 }), dense(1, {})] },
  },
  'dropout-always-active': {
    bad: {
      input: [64],
      layers: [
        F('hidden', 'Dense', ['inputs'], [128], relu),
        { ...F('dropped', 'Dropout', ['hidden'], [0.3]), training: true },
        F('outputs', 'Dense', ['dropped'], [10], { activation: 'softmax' }),
      ],
    },
    good: {
      input: [64],
      layers: [
        F('hidden', 'Dense', ['inputs'], [128], relu),
        F('dropped', 'Dropout', ['hidden'], [0.3]),
        F('outputs', 'Dense', ['dropped'], [10], { activation: 'softmax' }),
      ],
    },
  },
  'stochastic-depth-outside-residual': {
    bad: {
      input: [64],
      layers: [
        F('hidden', 'Dense', ['inputs'], [64], relu),
        F('dropped', 'StochasticDepth', ['hidden'], [0.1]),
        F('outputs', 'Dense', ['dropped'], [10], { activation: 'softmax' }),
      ],
    },
    good: {
      input: [64],
      layers: [
        F('branch', 'Dense', ['inputs'], [64], relu),
        F('dropped', 'StochasticDepth', ['branch'], [0.1]),
        F('block', 'Add', ['inputs', 'dropped']),
        F('outputs', 'Dense', ['block'], [10], { activation: 'softmax' }),
      ],
    },
  },
  'dropblock-block-size-too-large': {
    bad: {
      input: [8, 8, 16],
      layers: [
        conv(32, { padding: 'same' }),
        L('DropBlock2D', [0.1], { blockSize: 8 }),
        L('GlobalAveragePooling2D'),
        softmax(),
      ],
    },
    good: {
      input: [8, 8, 16],
      layers: [
        conv(32, { padding: 'same' }),
        L('DropBlock2D', [0.1], { blockSize: 3 }),
        L('GlobalAveragePooling2D'),
        softmax(),
      ],
    },
  },
  'dropblock-rate-range': {
    bad: {
      input: image,
      layers: [
        conv(32, { padding: 'same' }),
        L('DropBlock2D', [0.5], { blockSize: 5 }),
        L('GlobalAveragePooling2D'),
        softmax(),
      ],
    },
    good: {
      input: image,
      layers: [
        conv(32, { padding: 'same' }),
        L('DropBlock2D', [0.1], { blockSize: 5 }),
        L('GlobalAveragePooling2D'),
        softmax(),
      ],
    },
  },
  'dropout-on-residual-trunk': {
    bad: {
      input: [64],
      layers: [
        F('branch1', 'Dense', ['inputs'], [64], relu),
        F('block1', 'Add', ['inputs', 'branch1']),
        F('dropped', 'Dropout', ['block1'], [0.1]),
        F('branch2', 'Dense', ['dropped'], [64], relu),
        F('block2', 'Add', ['dropped', 'branch2']),
      ],
    },
    good: {
      input: [64],
      layers: [
        F('branch1', 'Dense', ['inputs'], [64], relu),
        F('dropped', 'Dropout', ['branch1'], [0.1]),
        F('block1', 'Add', ['inputs', 'dropped']),
        F('branch2', 'Dense', ['block1'], [64], relu),
        F('block2', 'Add', ['block1', 'branch2']),
      ],
    },
  },
  'transformer-residual-dropout-missing': {
    bad: {
      input: [16, 32],
      layers: [
        F('attention', 'MultiHeadAttention', ['inputs', 'inputs'], [4, 8]),
        F('residual', 'Add', ['inputs', 'attention']),
        F('normed', 'LayerNormalization', ['residual']),
        F('ffn', 'Dense', ['normed'], [32], relu),
        F('dropped', 'Dropout', ['ffn'], [0.1]),
        F('outputs', 'Add', ['normed', 'dropped']),
      ],
    },
    good: {
      input: [16, 32],
      layers: [
        F('attention', 'MultiHeadAttention', ['inputs', 'inputs'], [4, 8]),
        F('attentionDropout', 'Dropout', ['attention'], [0.1]),
        F('residual', 'Add', ['inputs', 'attentionDropout']),
        F('normed', 'LayerNormalization', ['residual']),
        F('ffn', 'Dense', ['normed'], [32], relu),
        F('dropped', 'Dropout', ['ffn'], [0.1]),
        F('outputs', 'Add', ['normed', 'dropped']),
      ],
    },
  },
  'dropout-before-pooling': {
    bad: { input: image, layers: [conv(), L('SpatialDropout2D', [0.2]), L('MaxPooling2D'), L('Flatten'), softmax()] },
    good: { input: image, layers: [conv(), L('MaxPooling2D'), L('SpatialDropout2D', [0.2]), L('Flatten'), softmax()] },
  },
  'deep-saturating-chain': {
    bad: { input: [64], layers: [...[1, 2, 3, 4, 5].map(() => dense(64, { activation: 'tanh' })), softmax()] },
    good: {
      input: [64],
      layers: [
        ...[1, 2, 3, 4, 5].flatMap((i) => [
          dense(64, { activation: 'tanh' }),
          ...(i === 3 ? [L('BatchNormalization')] : []),
        ]),
        softmax(),
      ],
    },
  },
};

/** A rule's example as Strata TypeScript: the model that triggers it and the fixed one. */
export function ruleExampleCode(ruleId: string): { bad: string; good: string } | undefined {
  if (!Object.hasOwn(RULE_EXAMPLES, ruleId)) return undefined;
  const example = RULE_EXAMPLES[ruleId]!;
  return { bad: renderExample(example.bad), good: renderExample(example.good) };
}

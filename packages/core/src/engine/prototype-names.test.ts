/**
 * Names from a file are looked up as own properties only: "constructor", "toString",
 * "__proto__" and friends are unknown names, never what every object inherits.
 */
import type { JsonObject } from '@strata/graph';
import { describe, expect, it } from 'vitest';
import { getActivation } from '../activations/index.js';
import { getConstraint } from '../constraints/index.js';
import { getInitializer } from '../initializers/index.js';
import { getLoss } from '../losses/index.js';
import { getMetric } from '../metrics/index.js';
import { getOptimizer } from '../optimizers/index.js';
import { getRegularizer } from '../regularizers/index.js';
import { modelFromKerasJson, restoreCompile } from '../saving/index.js';
import { Input } from './input-layer.js';
import { Sequential } from './sequential.js';
import { Dense } from '../layers/core/dense.js';
import { configToCamel, toCamelCase, toSnakeCase } from '../utils/config-case.js';

const PROTOTYPE_NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

describe('registry lookups by name are own-property lookups', () => {
  it.each(PROTOTYPE_NAMES)(
    '"%s" is an unknown activation, optimizer, loss, metric, initializer, regularizer and constraint',
    (name) => {
      expect(() => getActivation(name)).toThrow(new RegExp(`Unknown activation "${name}"; valid choices: .*relu`));
      expect(() => getOptimizer(name)).toThrow(new RegExp(`Unknown optimizer "${name}"; valid choices: .*adam`));
      expect(() => getOptimizer({ className: name, config: {} })).toThrow(/Unknown optimizer/);
      expect(() => getLoss(name)).toThrow(new RegExp(`Unknown loss "${name}"; valid choices: .*mse`));
      expect(() => getLoss({ className: name, config: {} })).toThrow(/Unknown loss class/);
      expect(() => getMetric(name)).toThrow(new RegExp(`Unknown metric "${name}"; valid choices: .*accuracy`));
      expect(() => getInitializer(name)).toThrow(
        new RegExp(`Unknown initializer "${name}"; valid choices: .*glorot_uniform`),
      );
      expect(() => getInitializer({ className: name, config: {} })).toThrow(/Unknown initializer/);
      expect(() => getRegularizer(name)).toThrow(/Unknown regularizer/);
      expect(() => getConstraint(name)).toThrow(/Unknown constraint/);
    },
  );

  it('compile({ optimizer: "constructor" }) names the optimizer as unknown', () => {
    const model = new Sequential([Input([2]), new Dense(1)]);
    expect(() => model.compile({ optimizer: 'constructor', loss: 'mse' })).toThrow(/Unknown optimizer "constructor"/);
    expect(() => model.compile({ optimizer: 'sgd', loss: 'toString' })).toThrow(/Unknown loss "toString"/);
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['valueOf'] })).toThrow(
      /Unknown metric "valueOf"/,
    );
  });

  it('config keys named like Object.prototype members convert as plain text', () => {
    expect(toCamelCase('constructor')).toBe('constructor');
    expect(toSnakeCase('constructor')).toBe('constructor');
    expect(toSnakeCase('toString')).toBe('to_string');
  });

  it('a file with activation "constructor" is refused naming the layer and the valid choices', () => {
    const json: JsonObject = {
      module: 'keras',
      class_name: 'Sequential',
      config: {
        name: 'seq',
        layers: [
          {
            module: 'keras.layers',
            class_name: 'InputLayer',
            config: { batch_shape: [null, 2], name: 'in' },
            registered_name: null,
          },
          {
            module: 'keras.layers',
            class_name: 'Dense',
            config: { name: 'd', units: 1, activation: 'constructor' },
            registered_name: null,
          },
        ],
      },
      registered_name: null,
    };
    expect(() => modelFromKerasJson(json)).toThrow(/Layer "d".*Unknown activation "constructor"; valid choices/s);
  });

  it('a compile_config naming optimizer "constructor" does not compile (a warning, as Keras), building no Object', () => {
    const model = new Sequential([Input([2]), new Dense(1, { name: 'd' })]);
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => void warnings.push(message);
    try {
      const optimizer = { module: 'keras.optimizers', class_name: 'constructor', config: {}, registered_name: null };
      expect(restoreCompile(model, { optimizer, loss: 'mse' })).toBe(false);
      expect(restoreCompile(model, { optimizer: 'sgd', loss: { class_name: '__proto__', config: {} } })).toBe(false);
    } finally {
      console.warn = warn;
    }
    expect(warnings.join('\n')).toMatch(/not compiled.*Unknown optimizer "constructor"/);
    expect(warnings.join('\n')).toMatch(/not compiled.*Unknown loss class "__proto__"/);
  });

  it('a "__proto__" key in a layer config is refused by the loader (as by lint and summary), not used as hidden config', () => {
    const text =
      '{"module":"keras","class_name":"Sequential","registered_name":null,"config":{"name":"seq","layers":[' +
      '{"module":"keras.layers","class_name":"InputLayer","registered_name":null,"config":{"name":"in","batch_shape":[null,2]}},' +
      '{"module":"keras.layers","class_name":"Dense","registered_name":null,"config":{"name":"d","units":2,"__proto__":{"activation":"softmax"}}}]}}';
    expect(() => modelFromKerasJson(text)).toThrow(/config\.layers\[1\]\.config: has a key "__proto__"/);
    // Configs built in code go through the same rule when converted.
    expect(
      () => toCamelCase('x') && configToCamel(JSON.parse('{"units":1,"__proto__":{"activation":"softmax"}}')),
    ).toThrow(/"__proto__"/);
  });
});

describe('model.summary() with names from a file', () => {
  it('prints terminal escape sequences in model and layer names escaped', () => {
    const model = new Sequential([Input([2]), new Dense(1, { name: 'd\u001b[2J\u001b[H' })], {
      name: 'm\u001b]0;x\u0007',
    });
    const lines: string[] = [];
    model.summary((line) => void lines.push(line));
    const text = lines.join('\n');
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(text).toContain('Model: "m\\u001b]0;x\\u0007"');
    expect(text).toContain('d\\u001b[2J\\u001b[H (Dense)');
  });
});

/**
 * A `"__proto__"` key written in a file's JSON: `JSON.parse` makes it an ordinary own
 * property, but any code that copies it with `out[key] = value` replaces the copy's
 * prototype, so hidden values appear as inherited config. The codecs refuse such a
 * document, naming the key's place, so the loader, lint and summary all see the same thing.
 */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../ir.js';
import { ownValue, hasOwnKey } from '../safety/own.js';
import { decodeModelConfig } from './detect.js';
import { ModelFormatError } from './errors.js';

const sequentialText = (denseConfig: string): string =>
  `{"module":"keras","class_name":"Sequential","registered_name":null,"config":{"name":"seq","layers":[` +
  `{"module":"keras.layers","class_name":"InputLayer","registered_name":null,"config":{"name":"in","batch_shape":[null,4]}},` +
  `{"module":"keras.layers","class_name":"Dense","registered_name":null,"config":${denseConfig}}]}}`;

describe('"__proto__" keys in a model config', () => {
  it('are refused with the path of the key (layer config)', () => {
    const json = JSON.parse(
      sequentialText('{"name":"d","units":2,"__proto__":{"activation":"softmax"}}'),
    ) as JsonObject;
    expect(() => decodeModelConfig(json)).toThrow(ModelFormatError);
    expect(() => decodeModelConfig(json)).toThrow(/config\.layers\[1\]\.config: has a key "__proto__"/);
  });

  it('are refused anywhere in the document (nested initializer, top level, Keras 2 and TF.js too)', () => {
    const nested = JSON.parse(
      sequentialText('{"name":"d","units":2,"kernel_initializer":{"class_name":"Zeros","config":{"__proto__":{}}}}'),
    ) as JsonObject;
    expect(() => decodeModelConfig(nested)).toThrow(
      /config\.layers\[1\]\.config\.kernel_initializer\.config: has a key "__proto__"/,
    );
    const top = JSON.parse(`{"__proto__":{"x":1},${sequentialText('{"name":"d","units":2}').slice(1)}`) as JsonObject;
    expect(() => decodeModelConfig(top)).toThrow(/^has a key "__proto__"/);
    const keras2 = JSON.parse(
      '{"class_name":"Sequential","keras_version":"2.4.0","config":{"name":"s","layers":[{"class_name":"Dense","config":{"name":"d","units":1,"__proto__":{}}}]}}',
    ) as JsonObject;
    expect(() => decodeModelConfig(keras2)).toThrow(/config\.layers\[0\]\.config: has a key "__proto__"/);
    const tfjs = JSON.parse(
      '{"format":"layers-model","modelTopology":{"class_name":"Sequential","keras_version":"tfjs-layers 4","config":{"name":"s","layers":[{"class_name":"Dense","config":{"name":"d","units":1,"__proto__":{}}}]}}}',
    ) as JsonObject;
    expect(() => decodeModelConfig(tfjs)).toThrow(/has a key "__proto__"/);
  });

  it('a document without one decodes as before', () => {
    const json = JSON.parse(sequentialText('{"name":"d","units":2,"activation":"softmax"}')) as JsonObject;
    expect(decodeModelConfig(json).model.layers.map((l) => l.name)).toEqual(['in', 'd']);
  });
});

describe('own-property lookups', () => {
  it('never return what every object inherits', () => {
    const table: Record<string, number> = { relu: 1 };
    expect(ownValue(table, 'relu')).toBe(1);
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(ownValue(table, name)).toBeUndefined();
      expect(hasOwnKey(table, name)).toBe(false);
    }
  });
});

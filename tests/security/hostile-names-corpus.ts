/**
 * The name and graph classes of the hostile corpus (issue 8): names from the file that would
 * resolve on `Object.prototype` (activations, an optimizer, a `"__proto__"` key hiding config),
 * broken layer graphs, a `registered_name` that must not fall back to a built-in class, and
 * terminal escape sequences in layer names and zip member names. Every case is plain JSON or a
 * small zip, written by hostile-corpus.ts's generator into the models folder.
 *
 * @packageDocumentation
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeZip } from '../../packages/graph/src/files/zip.js';
import type { HostileCase } from './hostile-corpus.js';

const ESC = '\u001b';
/** Clears the screen, homes the cursor and prints a reassuring lie. */
const SCREEN_WIPE = `${ESC}[2J${ESC}[H0 problems${ESC}]0;pwned\u0007\r`;

const input = (name = 'in'): Record<string, unknown> => ({
  module: 'keras.layers',
  class_name: 'InputLayer',
  registered_name: null,
  name,
  inbound_nodes: [],
  config: { name, batch_shape: [null, 4], dtype: 'float32' },
});

const dense = (
  name: string,
  from: string,
  config: Record<string, unknown> = {},
  registered: string | null = null,
): Record<string, unknown> => ({
  module: 'keras.layers',
  class_name: 'Dense',
  registered_name: registered,
  name,
  config: { name, units: 4, activation: 'linear', trainable: true, ...config },
  inbound_nodes: [
    {
      args: [
        { class_name: '__keras_tensor__', config: { shape: [null, 4], dtype: 'float32', keras_history: [from, 0, 0] } },
      ],
      kwargs: {},
    },
  ],
});

const functional = (
  layers: Record<string, unknown>[],
  output: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  module: 'keras',
  class_name: 'Functional',
  registered_name: null,
  config: { name: 'f', trainable: true, layers, input_layers: [['in', 0, 0]], output_layers: [[output, 0, 0]] },
  ...extra,
});

/**
 * Adds the name/graph cases. `cli` exit codes: lint 0 clean / 1 findings / 2 unreadable, summary
 * 0 / 2; the harness also checks that neither command prints a raw control character.
 */
export function addNameAndGraphCases(models: string, add: (item: HostileCase) => void): void {
  const json = (name: string, document: unknown): string => {
    const file = join(models, name);
    writeFileSync(file, typeof document === 'string' ? document : JSON.stringify(document));
    return file;
  };

  // ---- Registry lookups by names from the file: "unknown", with the valid choices.
  for (const activation of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    add({
      name: `name-activation-${activation}`,
      file: json(`activation-${activation}.json`, functional([input(), dense('d', 'in', { activation })], 'd')),
      lint: 'loaded',
      read: 'loaded',
      load: new RegExp(`unknown activation "${activation}"; valid choices: linear, relu`, 'i'),
      cli: { lint: 0, summary: 0 },
    });
  }
  add({
    name: 'name-optimizer-constructor-in-compile-config',
    file: json(
      'optimizer-constructor.json',
      functional([input(), dense('d', 'in')], 'd', {
        compile_config: { optimizer: 'constructor', loss: 'mean_squared_error', metrics: null },
      }),
    ),
    compile: true,
    lint: 'loaded',
    read: 'loaded',
    // As Keras does, a compile_config that cannot be applied leaves the model loaded but not compiled.
    load: 'loaded',
    loadWarning: /not compiled: .*unknown optimizer "constructor".*adam/i,
    cli: { lint: 0, summary: 0 },
  });
  add({
    name: 'name-optimizer-class-toString-in-compile-config',
    file: json(
      'optimizer-tostring.json',
      functional([input(), dense('d', 'in')], 'd', {
        compile_config: {
          optimizer: { module: 'keras.optimizers', class_name: 'toString', config: {}, registered_name: null },
          loss: 'mean_squared_error',
        },
      }),
    ),
    compile: true,
    lint: 'loaded',
    read: 'loaded',
    load: 'loaded',
    loadWarning: /not compiled: .*unknown optimizer "toString".*adam/i,
    cli: { lint: 0, summary: 0 },
  });

  // ---- A "__proto__" key hiding config: loader, lint and summary all refuse it.
  // JSON.stringify would drop a __proto__ own key set by assignment, so the text is spliced.
  const hiddenSoftmax = JSON.stringify(
    functional(
      [
        input(),
        dense('probs', 'in'),
        { ...dense('drop', 'probs'), class_name: 'Dropout', config: { name: 'drop', rate: 0.5, trainable: true } },
      ],
      'drop',
    ),
  ).replace('"activation":"linear"', '"__proto__":{"activation":"softmax"},"activation":"linear"');
  const PROTO_KEY = /has a key "__proto__"/;
  add({
    name: 'name-proto-key-in-layer-config',
    file: json('proto-key-layer.json', hiddenSoftmax),
    lint: PROTO_KEY,
    read: PROTO_KEY,
    load: PROTO_KEY,
    cli: { lint: 2, summary: 2 },
  });
  const protoInNode = JSON.stringify(functional([input(), dense('d', 'in')], 'd')).replace(
    '"kwargs":{}',
    '"kwargs":{"__proto__":{"training":true}}',
  );
  add({
    name: 'name-proto-key-in-node-kwargs',
    file: json('proto-key-node.json', protoInNode),
    lint: PROTO_KEY,
    read: PROTO_KEY,
    load: PROTO_KEY,
    cli: { lint: 2, summary: 2 },
  });
  const protoInKeras = join(models, 'proto-key.keras');
  writeFileSync(protoInKeras, writeZip([['config.json', new TextEncoder().encode(hiddenSoftmax), false]]));
  add({
    name: 'name-proto-key-in-keras-archive',
    file: protoInKeras,
    lint: PROTO_KEY,
    read: PROTO_KEY,
    load: PROTO_KEY,
    cli: { lint: 2, summary: 2 },
  });

  // ---- Broken layer graphs: every reader refuses them (lint and summary exit 2).
  const BROKEN = /the layer graph is broken/;
  const broken = (name: string, document: unknown, detail: RegExp): void =>
    add({
      name,
      file: json(`${name}.json`, document),
      lint: BROKEN,
      read: BROKEN,
      load: detail,
      cli: { lint: 2, summary: 2 },
    });
  broken('graph-cycle', functional([input(), dense('a', 'b'), dense('b', 'a')], 'b'), /cycle/);
  broken('graph-self-loop', functional([input(), dense('a', 'a')], 'a'), /cycle/);
  broken('graph-dangling-inbound', functional([input(), dense('d', 'ghost')], 'd'), /missing layer "ghost"|ghost/);
  broken(
    'graph-dangling-output',
    functional([input(), dense('d', 'in')], 'nowhere'),
    /missing layer "nowhere"|nowhere/,
  );
  {
    const badIndex = functional([input(), dense('d', 'in')], 'd');
    const layers = (badIndex['config'] as { layers: Record<string, unknown>[] }).layers;
    layers[1] = dense('d', 'in');
    (
      ((layers[1]['inbound_nodes'] as Record<string, unknown>[])[0]!['args'] as Record<string, unknown>[])[0]![
        'config'
      ] as Record<string, unknown>
    )['keras_history'] = ['in', 7, 0];
    broken('graph-dangling-node-index', badIndex, /node 7|node index|does not exist|broken/);
  }

  // ---- A registered_name naming something unregistered never resolves to the built-in Dense.
  add({
    name: 'name-registered-file-url',
    file: json('registered-file-url.json', functional([input(), dense('d', 'in', {}, 'file:///x>Dense')], 'd')),
    lint: 'loaded',
    read: 'loaded',
    load: /registered name "file:\/\/\/x>Dense"\), which is not registered.*never used in place of a registered name/,
    cli: { lint: 0, summary: 0 },
  });
  add({
    name: 'name-registered-other-package',
    file: json('registered-other.json', functional([input(), dense('d', 'in', {}, 'evil_pkg>Dense')], 'd')),
    lint: 'loaded',
    read: 'loaded',
    load: /registered name "evil_pkg>Dense"\), which is not registered/,
    cli: { lint: 0, summary: 0 },
  });

  // ---- Terminal escape sequences: lint's stylish report and summary print them escaped.
  add({
    name: 'escape-sequences-in-layer-names',
    file: json('escape-names.json', {
      module: 'keras',
      class_name: 'Sequential',
      registered_name: null,
      config: {
        name: `model${SCREEN_WIPE}`,
        layers: [
          {
            module: 'keras.layers',
            class_name: 'InputLayer',
            registered_name: null,
            config: { name: 'in', batch_shape: [null, 4] },
          },
          {
            module: 'keras.layers',
            class_name: 'Dense',
            registered_name: null,
            config: { name: `probs${SCREEN_WIPE}`, units: 3, activation: 'softmax' },
          },
          {
            module: 'keras.layers',
            class_name: 'Dropout',
            registered_name: null,
            config: { name: `drop${SCREEN_WIPE}`, rate: 0.5 },
          },
        ],
      },
    }),
    lint: 'loaded',
    read: 'loaded',
    load: 'loaded',
    // Dropout after a softmax is a finding: the stylish report quotes both names.
    cli: { lint: 1, summary: 0, printed: /probs\\u001b\[2J\\u001b\[H0 problems/ },
  });
  const encoder = new TextEncoder();
  const wipeMembers = join(models, 'escape-members.keras');
  writeFileSync(
    wipeMembers,
    writeZip([
      [`${SCREEN_WIPE}readme.txt`, encoder.encode('hi'), true],
      [`assets/${SCREEN_WIPE}`, encoder.encode('x'), true],
    ]),
  );
  const NO_CONFIG = /without config\.json.*readme\.txt/s;
  add({
    name: 'escape-sequences-in-zip-member-names',
    file: wipeMembers,
    lint: NO_CONFIG,
    read: NO_CONFIG,
    load: NO_CONFIG,
    cli: { lint: 2, summary: 2, printed: /\\u001b\[2J\\u001b\[H0 problems/ },
  });
}

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeKerasArchive, type JsonObject } from '@strata/graph';
import { loadModel, modelFromKerasJson, ModelLoadError } from './index.js';

const dtype = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
const input = {
  module: 'keras.layers',
  class_name: 'InputLayer',
  config: { batch_shape: [null, 2], dtype: 'float32', sparse: false, name: 'input_layer' },
  registered_name: null,
};

function sequentialWith(layer: Record<string, unknown>): string {
  return JSON.stringify({
    module: 'keras',
    class_name: 'Sequential',
    config: { name: 'sequential', trainable: true, dtype, layers: [input, layer] },
    registered_name: null,
  });
}

describe('safe loading: only registered classes are built, nothing in a file is run', () => {
  it('refuses a Lambda layer (CVE-2024-3660: Python bytecode in config.json) naming the layer and class', () => {
    const lambda = {
      module: 'keras.layers',
      class_name: 'Lambda',
      config: {
        name: 'evil_lambda',
        function: {
          class_name: '__lambda__',
          config: {
            code: '4wEAAAAAAAAAAAAAAAEAAAACAAAAQwAAAHMIAAAAdABkAYMBUwApAk4ZdG91Y2ggL3RtcC9wd25lZA==',
            defaults: null,
            closure: null,
          },
        },
        output_shape: null,
        arguments: {},
      },
      registered_name: null,
    };
    expect(() => modelFromKerasJson(sequentialWith(lambda))).toThrow(ModelLoadError);
    expect(() => modelFromKerasJson(sequentialWith(lambda))).toThrow(
      /Layer "evil_lambda" has class "Lambda".*never loads or runs.*register/,
    );
  });

  it('refuses a class that names an arbitrary module and function (CVE-2025-1550 style) without importing it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-cve-'));
    const marker = join(dir, 'pwned');
    const evil = {
      module: 'os',
      class_name: 'system',
      config: { name: 'evil', command: `touch ${marker}` },
      registered_name: 'os>system',
    };
    const fnObject = {
      module: 'subprocess',
      class_name: 'function',
      config: 'call',
      registered_name: 'call',
    };
    try {
      expect(() => modelFromKerasJson(sequentialWith(evil))).toThrow(
        /Layer "evil" has class "system" \(registered name "os>system"\), which is not registered.*registerLayer/,
      );
      expect(() => modelFromKerasJson(sequentialWith({ ...fnObject, config: { name: 'fn' } }))).toThrow(
        /Layer "fn" has class "function"/,
      );
      // A registered class whose config smuggles a module/function object as a value: the value is data,
      // handed to the layer's own option parser, which must reject it (never import it).
      const dense = {
        module: 'keras.layers',
        class_name: 'Dense',
        config: { name: 'dense', units: 2, activation: fnObject, dtype },
        registered_name: null,
      };
      expect(() => modelFromKerasJson(sequentialWith(dense))).toThrow(
        /Layer "dense" \(Dense\) could not be built.*activation/i,
      );
      expect(existsSync(marker)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a model class that is not registered, naming it', () => {
    const json = JSON.stringify({
      module: 'my_models',
      class_name: 'MyModel',
      config: {
        name: 'm',
        layers: [{ ...input, name: 'input_layer', inbound_nodes: [] }],
        input_layers: [['input_layer', 0, 0]],
        output_layers: [['input_layer', 0, 0]],
      },
      registered_name: 'my_models>MyModel',
    });
    expect(() => modelFromKerasJson(json)).toThrow(/"MyModel".*not registered/);
  });

  it('refuses the same inside a .keras archive (loadModel), before reading any weights', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-cve-keras-'));
    try {
      const path = join(dir, 'lambda.keras');
      const lambda = {
        module: 'keras.layers',
        class_name: 'Lambda',
        config: { name: 'lam', function: { class_name: '__lambda__', config: { code: 'AA==' } } },
        registered_name: null,
      };
      await writeKerasArchive(path, { config: JSON.parse(sequentialWith(lambda)) as JsonObject, weights: [] });
      await expect(loadModel(path)).rejects.toThrow(/Layer "lam" has class "Lambda"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never resolves an unregistered registered_name to a built-in class (Keras refuses it too)', () => {
    const dense = (registered: string | null): Record<string, unknown> => ({
      module: 'keras.layers',
      class_name: 'Dense',
      config: { name: 'd', units: 2, dtype },
      registered_name: registered,
    });
    // Keras 3 writes null for built-ins; the class name itself is accepted too (Keras's own rule).
    expect(modelFromKerasJson(sequentialWith(dense(null))).layers.at(-1)!.className).toBe('Dense');
    expect(modelFromKerasJson(sequentialWith(dense('Dense'))).layers.at(-1)!.className).toBe('Dense');
    for (const registered of ['file:///x>Dense', 'my_pkg>Dense', 'Conv2D', 'constructor']) {
      expect(() => modelFromKerasJson(sequentialWith(dense(registered))), registered).toThrow(ModelLoadError);
      expect(() => modelFromKerasJson(sequentialWith(dense(registered))), registered).toThrow(
        new RegExp(
          `Layer "d" has class "Dense" \\(registered name "${registered.replace(/[/.]/g, '\\$&')}"\\), which is not registered`,
        ),
      );
    }
    // A nested layer (Bidirectional's inner layer) follows the same rule.
    const bidirectional = {
      module: 'keras.layers',
      class_name: 'Bidirectional',
      config: {
        name: 'bi',
        layer: {
          module: 'keras.layers',
          class_name: 'LSTM',
          config: { name: 'lstm', units: 2 },
          registered_name: 'evil>LSTM',
        },
      },
      registered_name: null,
    };
    expect(() => modelFromKerasJson(sequentialWith(bidirectional))).toThrow(
      /registered name "evil>LSTM".*not registered/,
    );
  });

  it('gives a clear error for text that is not JSON', () => {
    expect(() => modelFromKerasJson('{"class_name": ')).toThrow(/not valid JSON/);
  });
});

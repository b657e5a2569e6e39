/**
 * `strata codegen` (packages/cli, which never loads TF.js) checked at runtime: for every golden
 * case (../shared/keras3-golden), every real-model fixture Strata can load, the CLI's own
 * fixtures and the attention layers' Keras-made fixtures (call kwargs, masks, keras.ops nodes), the printed code type-checks against @strata/core (TypeScript compiler API) and
 * builds a model whose IR equals the file's (Strata's Keras 3 view of it: `modelToIR` of the
 * model Strata loads from that config). Skips ../shared files visibly when absent.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { encodeKeras3Config, keras3ModelOf, readModelFile, type JsonValue } from '@strata/graph';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { generateModelCode } from '../../../packages/cli/src/codegen.js';
import '../../../packages/core/src/layers/index.js';
import type { Model } from '../../../packages/core/src/engine/model.js';
import { modelFromIR, modelToIR } from '../../../packages/core/src/saving/index.js';

const REPO = resolve(import.meta.dirname, '../../..');
const GOLDEN = resolve(REPO, '../shared/keras3-golden/cases');
const REAL_MODELS = resolve(REPO, '../shared/fixtures/real-models');
const CLI_FIXTURES = resolve(REPO, 'packages/cli/src/fixtures');
// Inside the repo so that `@strata/core` resolves like the project's own files.
const GENERATED = resolve(import.meta.dirname, '.generated');
afterAll(() => rmSync(GENERATED, { recursive: true, force: true }));

interface Case {
  label: string;
  path: string;
}

const goldenCases: Case[] = existsSync(GOLDEN)
  ? readdirSync(GOLDEN).flatMap((name) =>
      ['model.keras', 'model.h5']
        .filter((f) => existsSync(join(GOLDEN, name, f)))
        .map((f) => ({ label: `golden ${name}/${f}`, path: join(GOLDEN, name, f) })),
    )
  : [];
const realCases: Case[] = existsSync(REAL_MODELS)
  ? [
      'dl4j_cnn2d_64.h5',
      'dl4j_mlp_0.h5',
      'dl4j_simple_lstm_tf_keras_2_model.h5',
      'dl4j_wgan_discriminator.h5',
      'fashion_mnist_cnn.keras',
      'dl4j_keras2_mlp_config.json',
      'hls4ml_KERAS_conv2d_model.json',
      'tfjs_layers_model/model.json',
    ].map((f) => ({ label: `real ${f}`, path: join(REAL_MODELS, f) }))
  : [];
const cliCases: Case[] = readdirSync(CLI_FIXTURES)
  .filter((f) => /\.(keras|h5)$/.test(f))
  .map((f) => ({ label: `cli fixture ${f}`, path: join(CLI_FIXTURES, f) }));
// Keras-made fixtures of the repo's own tests with call keyword arguments (attention masks, causal masks, query/value/key) and op nodes.
const ATTENTION_FIXTURES = resolve(REPO, 'packages/core/src/layers/attention/fixtures');
const attentionCases: Case[] = readdirSync(ATTENTION_FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    ['model.keras', 'model.h5']
      .filter((f) => existsSync(join(ATTENTION_FIXTURES, d.name, f)))
      .map((f) => ({ label: `attention fixture ${d.name}/${f}`, path: join(ATTENTION_FIXTURES, d.name, f) })),
  );
// Calls the files above do not hold: query/value/key by keyword, op constants on the left, a list op, op options.
const tensor = (layer: string, shape: (number | null)[], dtype = 'float32'): JsonValue => ({
  class_name: '__keras_tensor__',
  config: { shape, dtype, keras_history: [layer, 0, 0] },
});
const input = (name: string, shape: (number | null)[]): JsonValue => ({
  module: 'keras.layers',
  class_name: 'InputLayer',
  config: { name, batch_shape: shape, dtype: 'float32', sparse: false, ragged: false },
  registered_name: null,
  name,
  inbound_nodes: [],
});
const op = (
  className: string,
  name: string,
  args: JsonValue[],
  options: Record<string, JsonValue> = {},
  module = 'keras.src.ops.numpy',
): JsonValue => ({
  module,
  class_name: className,
  config: { name, ...options },
  registered_name: className,
  name,
  inbound_nodes: [{ args, kwargs: {} }],
});
const inlineConfigs: Record<string, JsonValue> = {
  mha_by_keyword: {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    registered_name: 'Functional',
    config: {
      name: 'mha_by_keyword',
      trainable: true,
      layers: [
        input('q', [null, 2, 4]),
        input('v', [null, 3, 4]),
        {
          module: 'keras.layers',
          class_name: 'MultiHeadAttention',
          config: { name: 'mha', num_heads: 2, key_dim: 3 },
          registered_name: null,
          name: 'mha',
          inbound_nodes: [
            {
              args: [tensor('q', [null, 2, 4])],
              kwargs: { value: tensor('v', [null, 3, 4]), key: tensor('v', [null, 3, 4]), use_causal_mask: true },
            },
          ],
        },
      ],
      input_layers: [
        ['q', 0, 0],
        ['v', 0, 0],
      ],
      output_layers: [['mha', 0, 0]],
    },
  },
  op_constants: {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    registered_name: 'Functional',
    config: {
      name: 'op_constants',
      trainable: true,
      layers: [
        input('x', [null, 2, 3]),
        op('Subtract', 'sub', [1.5, tensor('x', [null, 2, 3])]),
        op('Concatenate', 'cat', [[tensor('sub', [null, 2, 3]), tensor('x', [null, 2, 3])]], { axis: -1 }),
        op('Mean', 'mean', [tensor('cat', [null, 2, 6])], { axis: -1, keepdims: true }),
        op('Softmax', 'sm', [tensor('x', [null, 2, 3])], { axis: 1 }, 'keras.src.ops.nn'),
      ],
      input_layers: [['x', 0, 0]],
      output_layers: [
        ['mean', 0, 0],
        ['sm', 0, 0],
      ],
    },
  },
};
mkdirSync(GENERATED, { recursive: true });
const inlineCases: Case[] = Object.entries(inlineConfigs).map(([name, config]) => {
  const path = join(GENERATED, `${name}.json`);
  writeFileSync(path, JSON.stringify(config));
  return { label: `inline config ${name}`, path };
});
if (goldenCases.length === 0) console.warn(`codegen: ${GOLDEN} is absent; golden cases skipped`);
if (realCases.length === 0) console.warn(`codegen: ${REAL_MODELS} is absent; real-model cases skipped`);

function withoutSharingIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSharingIds);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== 'shared_object_id')
      .map(([k, v]) => [k, withoutSharingIds(v)]),
  );
}

const irJson = (model: Model): JsonValue => withoutSharingIds(encodeKeras3Config(modelToIR(model))) as JsonValue;

function typeCheck(files: string[]): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(REPO, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  const program = ts.createProgram(files, { ...parsed!.options, noEmit: true });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file !== undefined && files.includes(resolve(d.file.fileName)))
    .map((d) => `${d.file!.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

/** Codegen and Strata's loader on one file; real third-party models Strata cannot load are reported, not failed. */
async function loadable(
  path: string,
): Promise<{ ok: true; model: Model; code: string } | { ok: false; reason: string }> {
  const file = await readModelFile(path);
  const { model: ir } = keras3ModelOf(file);
  let code: string;
  try {
    code = generateModelCode(ir, path);
  } catch (error) {
    return { ok: false, reason: `codegen: ${(error as Error).message}` };
  }
  try {
    return { ok: true, model: modelFromIR(ir, { compile: false }), code };
  } catch (error) {
    return { ok: false, reason: `Strata cannot load it: ${(error as Error).message.slice(0, 160)}` };
  }
}

describe('strata codegen: generated code compiles and builds the same IR', () => {
  const cases = [...cliCases, ...attentionCases, ...inlineCases, ...goldenCases, ...realCases];

  it(`type-checks and rebuilds ${cases.length} models (cli fixtures, goldens, real models)`, async () => {
    mkdirSync(GENERATED, { recursive: true });
    const prepared: { label: string; file: string; expected: JsonValue }[] = [];
    const skipped: string[] = [];
    for (const [i, item] of cases.entries()) {
      const result = await loadable(item.path);
      if (!result.ok) {
        skipped.push(`${item.label}: ${result.reason}`);
        continue;
      }
      const file = join(GENERATED, `model_${i}.ts`);
      writeFileSync(file, result.code);
      prepared.push({ label: item.label, file, expected: irJson(result.model) });
      result.model.dispose();
    }
    if (skipped.length > 0)
      console.warn(`codegen cases not checked (Strata cannot load them):\n  ${skipped.join('\n  ')}`);
    // Every golden and every fixture of the repo must work; only third-party real models may be refused (with a reason).
    expect(skipped.filter((s) => !s.startsWith('real '))).toEqual([]);
    expect(typeCheck(prepared.map((p) => p.file))).toEqual([]);
    for (const { label, file, expected } of prepared) {
      const module = (await import(file)) as { buildModel: () => Model };
      const built = module.buildModel();
      expect(irJson(built), label).toEqual(expected);
      built.dispose();
    }
    expect(prepared.length).toBeGreaterThanOrEqual(
      cliCases.length + attentionCases.length + inlineCases.length + goldenCases.length,
    );
  }, 600_000);
});

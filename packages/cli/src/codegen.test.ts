import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-in-process.test-suite.js';

// The generated code is type-checked and run against @strata/core in tests/conformance/cli/codegen.test.ts
// (this package never loads TF.js); here: what it prints, and its errors.
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const dir = mkdtempSync(join(tmpdir(), 'strata-codegen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('strata codegen', () => {
  it('prints a builder per nested model, shared layers called twice and both outputs', async () => {
    const result = await runCli(['codegen', join(FIXTURES, 'nested_shared.keras')], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      "import { Input, Model, Sequential, layers, type InputLayerArgs } from '@strata/core';",
    );
    expect(result.stdout).toMatch(
      /function buildInnerSeq\(\): Model \{[\s\S]*return new Sequential\(\[inputLayer, dense_1, batchNormalization\]/,
    );
    expect(result.stdout).toContain('const shared = layers.Dense.fromConfig({');
    expect(result.stdout).toMatch(
      /const sharedOut = shared\.applyMulti\(a\);\n\s+const sharedOut1 = shared\.applyMulti\(b\);/,
    );
    expect(result.stdout).toContain(
      'return new Model({ inputs: [a, b], outputs: [scoreOut[0]!, innerFnOut1[0]!], name: "nested_shared" });',
    );
    expect(result.stdout).not.toContain('sharedObjectId');
  });

  it('passes initial states, and brings a tf.keras 2 file into Keras 3 form first', async () => {
    const keras3 = await runCli(['codegen', join(FIXTURES, 'seq2seq.keras')], dir);
    expect(keras3.stdout).toMatch(
      /decoder\.applyMulti\(decoderInput, \{ initialState: \[encoderOut\[1\]!, encoderOut\[2\]!\] \}\)/,
    );
    const keras2 = await runCli(['codegen', join(FIXTURES, 'keras2_seq2seq_nested.h5')], dir);
    expect(keras2.code, keras2.stderr).toBe(0);
    expect(keras2.stdout).toMatch(
      /decoder\.applyMulti\(decoderInput, \{ initialState: \[encoderOut\[1\]!, encoderOut\[2\]!\] \}\)/,
    );
    expect(keras2.stdout).toContain('outputs: [innerOut[0]!], name: "keras2_seq2seq"');
  });

  it('builds keras.ops nodes from the op table with their constant arguments (snake_case options), and passes the mask kwarg', async () => {
    const tensor = (layer: string, dtype = 'float32'): object => ({
      class_name: '__keras_tensor__',
      config: { shape: [null, 3], dtype, keras_history: [layer, 0, 0] },
    });
    const config = {
      module: 'keras.src.models.functional',
      class_name: 'Functional',
      config: {
        name: 'ops',
        layers: [
          {
            module: 'keras.layers',
            class_name: 'InputLayer',
            config: { name: 'x', batch_shape: [null, 3] },
            name: 'x',
            inbound_nodes: [],
          },
          {
            module: 'keras.src.ops.numpy',
            class_name: 'NotEqual',
            config: { name: 'not_equal' },
            name: 'not_equal',
            inbound_nodes: [{ args: [tensor('x'), 0], kwargs: {} }],
          },
          {
            module: 'keras.src.ops.numpy',
            class_name: 'Mean',
            config: { name: 'mean', axis: -1, keepdims: true },
            name: 'mean',
            inbound_nodes: [{ args: [tensor('x')], kwargs: {} }],
          },
          {
            module: 'keras.layers',
            class_name: 'Dense',
            config: { name: 'dense', units: 2 },
            name: 'dense',
            inbound_nodes: [{ args: [tensor('mean')], kwargs: { training: false, mask: tensor('not_equal', 'bool') } }],
          },
        ],
        input_layers: [['x', 0, 0]],
        output_layers: [['dense', 0, 0]],
      },
    };
    writeFileSync(join(dir, 'ops.json'), JSON.stringify(config));
    const result = await runCli(['codegen', 'ops.json'], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("const TENSOR = { class_name: '__keras_tensor__', config: {} };");
    expect(result.stdout).toContain(
      'const notEqual = op("NotEqual", { name: "not_equal", options: {}, args: [TENSOR, 0] });',
    );
    expect(result.stdout).toMatch(
      /const mean = op\("Mean", \{ name: "mean", options: \{\n\s+axis: -1,\n\s+keepdims: true,\n\s+\}, args: \[TENSOR\] \}\);/,
    );
    expect(result.stdout).toContain('const notEqualOut = notEqual.applyMulti(x);');
    expect(result.stdout).toContain(
      'const denseOut = dense.applyMulti(meanOut[0]!, { training: false, mask: notEqualOut[0]! });',
    );
  });

  it('passes attention kwargs: tensors (attention_mask), values (use_causal_mask) and query/value/key given by name', async () => {
    const attention = join(FIXTURES, '../../../core/src/layers/attention/fixtures');
    const masked = await runCli(['codegen', join(attention, 'mha_attention_mask/model.keras')], dir);
    expect(masked.code, masked.stderr).toBe(0);
    expect(masked.stdout).toContain(
      'multiHeadAttention_10.applyMulti([inputLayer_6, inputLayer_7], { kwargs: { attentionMask: inputLayer_8 } })',
    );
    const causal = await runCli(['codegen', join(attention, 'mha_causal_axes/model.keras')], dir);
    expect(causal.stdout).toContain('{ kwargs: { useCausalMask: true } }');
    expect(causal.stdout).toContain('{ kwargs: { returnAttentionScores: true } }');
    // `mha(query=q, value=v, key=v)`: value and key by keyword; they follow the query as positional tensors.
    const vTensor = {
      class_name: '__keras_tensor__',
      config: { shape: [null, 3, 4], dtype: 'float32', keras_history: ['v', 0, 0] },
    };
    const byName = {
      module: 'keras.src.models.functional',
      class_name: 'Functional',
      config: {
        name: 'by_name',
        layers: [
          {
            module: 'keras.layers',
            class_name: 'InputLayer',
            config: { name: 'q', batch_shape: [null, 2, 4] },
            name: 'q',
            inbound_nodes: [],
          },
          {
            module: 'keras.layers',
            class_name: 'InputLayer',
            config: { name: 'v', batch_shape: [null, 3, 4] },
            name: 'v',
            inbound_nodes: [],
          },
          {
            module: 'keras.layers',
            class_name: 'MultiHeadAttention',
            config: { name: 'mha', num_heads: 1, key_dim: 2 },
            name: 'mha',
            inbound_nodes: [
              {
                args: [
                  {
                    class_name: '__keras_tensor__',
                    config: { shape: [null, 2, 4], dtype: 'float32', keras_history: ['q', 0, 0] },
                  },
                ],
                kwargs: { key: vTensor, value: vTensor },
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
    };
    writeFileSync(join(dir, 'by_name.json'), JSON.stringify(byName));
    const result = await runCli(['codegen', 'by_name.json'], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('const mhaOut = mha.applyMulti([q, v, v]);');
  });

  it('exits 2 with a clear message for a call it cannot express, and for unreadable files', async () => {
    const config = {
      module: 'keras.src.models.functional',
      class_name: 'Functional',
      config: {
        name: 'ops',
        layers: [
          {
            module: 'keras.layers',
            class_name: 'InputLayer',
            config: { name: 'x', batch_shape: [null, 3] },
            name: 'x',
            inbound_nodes: [],
          },
          {
            module: 'keras.layers',
            class_name: 'Dense',
            config: { name: 'dense', units: 2 },
            name: 'dense',
            inbound_nodes: [
              {
                args: [
                  {
                    class_name: '__keras_tensor__',
                    config: { shape: [null, 3], dtype: 'float32', keras_history: ['x', 0, 0] },
                  },
                  0,
                ],
                kwargs: {},
              },
            ],
          },
        ],
        input_layers: [['x', 0, 0]],
        output_layers: [['dense', 0, 0]],
      },
    };
    writeFileSync(join(dir, 'constant_arg.json'), JSON.stringify(config));
    const result = await runCli(['codegen', 'constant_arg.json'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/layer "dense" \(Dense\) is called with non-tensor arguments/);
    expect((await runCli(['codegen', 'missing.keras'], dir)).stderr).toMatch(/missing\.keras: does not exist/);
  });
});

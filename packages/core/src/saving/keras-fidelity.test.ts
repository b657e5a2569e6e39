/**
 * Details of what Strata saves that the Keras golden suite (tests/conformance/keras-golden) found
 * differing from Keras 3.15.1's own files; each expectation is what real Keras writes.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Input } from '../engine/input-layer.js';
import { Sequential } from '../engine/sequential.js';
import '../layers/index.js';
import { Dense } from '../layers/core/dense.js';
import { Bidirectional, LSTM, SimpleRNN } from '../layers/rnn/index.js';
import { SpatialDropout1D } from '../layers/regularization/spatial-dropout.js';
import { readZipMembers } from '../../../graph/src/files/zip.js';
import { withHdf5Bytes } from '../../../graph/src/files/hdf5.js';
import { saveModel } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-fidelity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('configs as Keras writes them', () => {
  it('SimpleRNN has no `seed` key (LSTM has one)', () => {
    expect(new SimpleRNN(3).kerasConfig()).not.toHaveProperty('seed');
    expect(new LSTM(3).kerasConfig()).toHaveProperty('seed', null);
  });

  it('Bidirectional sets zero_output_for_mask to return_sequences in both directions', () => {
    const last = new Bidirectional(new LSTM(3));
    const seq = new Bidirectional(new LSTM(3, { returnSequences: true }));
    for (const [layer, expected] of [
      [last, false],
      [seq, true],
    ] as const) {
      const config = layer.kerasConfig() as {
        layer: { config: Record<string, unknown> };
        backward_layer: { config: Record<string, unknown> };
      };
      expect(config.layer.config['zero_output_for_mask']).toBe(expected);
      expect(config.backward_layer.config['zero_output_for_mask']).toBe(expected);
    }
  });

  it('SpatialDropout writes dtype as a plain name and no trainable', () => {
    const config = new SpatialDropout1D(0.2).kerasConfig();
    expect(config['dtype']).toBe('float32');
    expect(config).not.toHaveProperty('trainable');
  });
});

describe('model.weights.h5 as Keras writes it', () => {
  it('every saved object (an RNN cell, Bidirectional forward/backward layers) has a named vars group', async () => {
    const model = new Sequential([
      Input([5, 2]),
      new Bidirectional(new LSTM(3, { name: 'enc' }), { name: 'bi' }),
      new Dense(1),
    ]);
    const path = join(dir, 'bi.keras');
    await saveModel(model, path);
    const weights = readZipMembers(new Uint8Array(readFileSync(path)), path).get('model.weights.h5')!;
    const names = await withHdf5Bytes(weights, path, (file) => {
      const out: Record<string, string> = {};
      for (const group of [
        'layers/bidirectional/forward_layer',
        'layers/bidirectional/forward_layer/cell',
        'layers/bidirectional/backward_layer',
      ]) {
        const vars = file.get(`${group}/vars`) as { attrs: Record<string, { value: unknown }> } | null;
        out[group] = String(vars?.attrs['name']?.value);
      }
      return out;
    });
    expect(names).toEqual({
      'layers/bidirectional/forward_layer': 'forward_enc',
      'layers/bidirectional/forward_layer/cell': 'lstm_cell',
      'layers/bidirectional/backward_layer': 'backward_enc',
    });
    model.dispose();
  });
});

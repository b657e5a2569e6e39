import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { SGD } from '../../optimizers/sgd.js';
import type { Sequential } from '../../engine/sequential.js';
import { modelToKerasJson } from '../../saving/keras-json.js';
import { mlp, regressionData } from '../../training/test-models.test-suite.js';
import { encodeEvent, EVENT_FILE_VERSION, tfRecord } from './event-file.js';
import { readEventFile, type DecodedEvent } from './event-reader.test-suite.js';
import { TensorBoard } from './tensorboard.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'strata-tensorboard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The single event file in `folder`, decoded. */
function eventsIn(folder: string): { name: string; events: DecodedEvent[] } {
  const names = readdirSync(folder);
  expect(names).toHaveLength(1);
  return { name: names[0]!, events: readEventFile(readFileSync(join(folder, names[0]!))) };
}

async function trainWith(callback: TensorBoard, epochs: number, batchSize = 8) {
  const { x, y } = regressionData(16);
  const model = mlp(4);
  model.compile({ optimizer: new SGD({ learningRate: 0.05 }), loss: 'mse', metrics: ['mae'] });
  const before = tf.memory().numTensors;
  const history = await model.fit(x, y, {
    epochs,
    batchSize,
    validationData: [x, y],
    callbacks: [callback],
    verbose: 0,
  });
  expect(tf.memory().numTensors).toBe(before);
  x.dispose();
  y.dispose();
  return history;
}

describe('TensorBoard event encoding', () => {
  it('frames an Event the independent reader decodes (negative and large steps, unicode tags)', () => {
    const record = tfRecord(
      encodeEvent({ wallTime: 1700000000.25, step: -3, scalars: [{ tag: 'épo/ch', value: 0.5 }] }),
    );
    const big = tfRecord(encodeEvent({ wallTime: 1, step: 2 ** 40, fileVersion: EVENT_FILE_VERSION }));
    const [first, second] = readEventFile(Uint8Array.from([...record, ...big]));
    expect(first).toEqual({ wallTime: 1700000000.25, step: -3, scalars: new Map([['épo/ch', 0.5]]), texts: new Map() });
    expect(second).toEqual({
      wallTime: 1,
      step: 2 ** 40,
      fileVersion: 'brain.Event:2',
      scalars: new Map(),
      texts: new Map(),
    });
    const corrupt = record.slice();
    corrupt[20] = corrupt[20]! ^ 1;
    expect(() => readEventFile(corrupt)).toThrow(/bad data CRC/);
  });
});

describe('TensorBoard callback', () => {
  it("writes Keras's epoch scalars: train/ (with the learning rate) and validation/ (val_ stripped), one event per epoch", async () => {
    const logDir = join(dir, 'epochs');
    const callback = new TensorBoard({ logDir, updateFreq: 'epoch' });
    const history = await trainWith(callback, 3);
    const train = eventsIn(join(logDir, 'train'));
    expect(train.name).toMatch(/^events\.out\.tfevents\.\d{10}\.[A-Za-z0-9._-]+$/);
    expect(join(logDir, 'train', train.name)).toBe(callback.trainEventFile);
    const [version, graph, ...epochs] = train.events;
    expect(version!.fileVersion).toBe('brain.Event:2');
    expect(Math.abs(version!.wallTime - Date.now() / 1000)).toBeLessThan(3600);
    // Keras's keras_model_summary("keras", model, step=0): the model JSON, a scalar DT_STRING tensor.
    expect(graph!.step).toBe(0);
    const keras = graph!.texts.get('keras')!;
    expect({ ...keras, text: undefined }).toEqual({
      plugin: 'graph_keras_model',
      content: '1',
      dtype: 7,
      rank: 0,
      text: undefined,
    });
    expect(JSON.parse(keras.text)).toEqual(JSON.parse(modelToKerasJson(callback.model as Sequential)));
    expect((JSON.parse(keras.text) as { class_name: string }).class_name).toBe('Sequential');
    expect(epochs.map((e) => e.step)).toEqual([0, 1, 2]);
    epochs.forEach((event, i) => {
      expect([...event.scalars.keys()].sort()).toEqual(['epoch_learning_rate', 'epoch_loss', 'epoch_mae']);
      expect(event.scalars.get('epoch_loss')).toBe(Math.fround(history.history['loss']![i]!));
      expect(event.scalars.get('epoch_mae')).toBe(Math.fround(history.history['mae']![i]!));
      expect(event.scalars.get('epoch_learning_rate')).toBe(Math.fround(0.05));
    });
    const validation = eventsIn(join(logDir, 'validation'));
    expect(validation.events[0]!.fileVersion).toBe('brain.Event:2');
    expect(validation.events.slice(1).map((e) => [...e.scalars.keys()].sort())).toEqual(
      Array(3).fill(['epoch_loss', 'epoch_mae']),
    );
    expect(validation.events.slice(1).map((e) => e.scalars.get('epoch_loss'))).toEqual(
      history.history['val_loss']!.map(Math.fround),
    );
  });

  it('updateFreq N adds batch_ scalars every N training batches, stepped by the global batch count', async () => {
    const logDir = join(dir, 'batches');
    await trainWith(new TensorBoard({ logDir, updateFreq: 2 }), 2, 4);
    const events = eventsIn(join(logDir, 'train')).events;
    const batchEvents = events.filter((e) => e.scalars.has('batch_loss'));
    // 16 samples in batches of 4: 4 batches per epoch, 8 in all, written at 2, 4, 6, 8.
    expect(batchEvents.map((e) => e.step)).toEqual([2, 4, 6, 8]);
  });

  it('writeGraph: false leaves the model config out', async () => {
    const logDir = join(dir, 'no-graph');
    await trainWith(new TensorBoard({ logDir, writeGraph: false }), 1);
    expect(eventsIn(join(logDir, 'train')).events.filter((e) => e.texts.size > 0)).toEqual([]);
  });

  it('refuses a bad updateFreq, naming the valid choices', () => {
    expect(() => new TensorBoard({ updateFreq: 0 })).toThrow(/'epoch', 'batch' or a positive integer, got 0/);
  });
});

/** Runs read_events.py with `python` and `reader`; undefined when the reader is not installed. */
function pythonRead(python: string, reader: string, file: string): unknown[] | undefined {
  const run = spawnSync(python, [join(HERE, 'read_events.py'), reader, file], { encoding: 'utf8', timeout: 60_000 });
  if (run.status === 3 || run.error !== undefined) return undefined;
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as unknown[];
}

const PYTHONS = ['/usr/bin/python3', 'python3'];
const HAVE = (reader: string): string | undefined =>
  PYTHONS.find(
    (python) =>
      spawnSync(python, ['-c', reader === 'tensorboard' ? 'import tensorboard' : 'import google.protobuf'], {
        timeout: 60_000,
      }).status === 0,
  );
const TENSORBOARD_PY = HAVE('tensorboard');
const PROTOBUF_PY = HAVE('protobuf');

describe.each([
  ['tensorboard', TENSORBOARD_PY, "TensorBoard's own EventFileLoader"],
  ['protobuf', PROTOBUF_PY, "Google's protobuf runtime (python3-protobuf)"],
])('the event file read by a real reader: %s', (reader, python, what) => {
  it.skipIf(python === undefined)(`${what} reads the same events (skipped when python3 cannot import it)`, async () => {
    const logDir = join(dir, `real-${reader}`);
    const callback = new TensorBoard({ logDir });
    const history = await trainWith(callback, 2);
    const events = pythonRead(python!, reader, callback.trainEventFile!) as {
      step: number;
      file_version?: string;
      scalars: Record<string, number>;
      texts: Record<string, string>;
    }[];
    expect(events[0]!.file_version).toBe('brain.Event:2');
    const [graph, ...epochs] = events.slice(1);
    expect(graph!.texts['keras']).toMatch(/^\{"module": ?"keras"/);
    expect(epochs.map((e) => e.step)).toEqual([0, 1]);
    expect(epochs.map((e) => e.scalars['epoch_loss'])).toEqual(history.history['loss']!.map(Math.fround));
  });
});

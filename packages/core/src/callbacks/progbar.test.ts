import { describe, expect, it } from 'vitest';
import { Progbar, formatTimePerUnit, formatValue, type ProgressOutput } from './progbar.js';
import { ProgbarLogger } from './progbar-logger.js';
import { mlp, regressionData } from '../training/test-models.test-suite.js';

function capture(isTTY: boolean): ProgressOutput & { text: string } {
  const out = { text: '', isTTY, write: (s: string) => void (out.text += s) };
  return out;
}

function clock(): { now: () => number; set: (t: number) => void } {
  let t = 0;
  return { now: () => t, set: (v) => void (t = v) };
}

describe('Progbar (Keras utils/progbar.py style)', () => {
  it('redraws in place on a TTY with bar, ETA, time per step and 4-decimal values', () => {
    const out = capture(true);
    const c = clock();
    const bar = new Progbar(10, { output: out, now: c.now });
    c.set(2);
    bar.update(1, [
      ['accuracy', 0.5],
      ['loss', 1.25],
    ]);
    c.set(2.01); // within the 0.05 s interval: not redrawn
    bar.update(2, [
      ['accuracy', 0.6],
      ['loss', 1],
    ]);
    c.set(2.4);
    bar.update(10, [
      ['accuracy', 0.9712],
      ['loss', 0.0931],
    ]);
    expect(out.text).toBe(
      '\r 1/10 ━━────────────────── 18s 2s/step - accuracy: 0.5000 - loss: 1.2500' +
        '\r10/10 ━━━━━━━━━━━━━━━━━━━━ 2s 44ms/step - accuracy: 0.9712 - loss: 0.0931\n',
    );
  });

  it('pads a shorter redraw to erase the previous line', () => {
    const out = capture(true);
    const c = clock();
    const bar = new Progbar(4, { output: out, now: c.now });
    c.set(1);
    bar.update(1, [['loss', 123456.789]]);
    c.set(1.5);
    bar.update(2, [['loss', 0.5]], false);
    const [first, second] = out.text.split('\r').slice(1) as [string, string];
    expect(second.length).toBe(first.length);
    expect(second.trimEnd()).toBe('2/4 ━━━━━━━━━━────────── 1s 500ms/step - loss: 0.5000');
  });

  it('writes only the final line without a TTY, and one summary line with verbose 2', () => {
    const plain = capture(false);
    const c = clock();
    const bar = new Progbar(3, { output: plain, now: c.now });
    c.set(1);
    bar.update(1, [['loss', 2]]);
    c.set(3);
    bar.update(3, [['loss', 1]]);
    expect(plain.text).toBe('3/3 ━━━━━━━━━━━━━━━━━━━━ 3s 1s/step - loss: 1.0000\n');
    const two = capture(true);
    const c2 = clock();
    const summary = new Progbar(3, { output: two, now: c2.now, verbose: 2 });
    c2.set(1);
    summary.update(1, [['loss', 2]]);
    c2.set(1.2);
    summary.update(3, [['loss', 0.0004]]);
    expect(two.text).toBe('3/3 - 1s - 100ms/step - loss: 4.0000e-04\n');
  });

  it('formats values and durations as Keras', () => {
    expect([formatValue(0.12345), formatValue(-2), formatValue(0.0001234), formatValue(Number.NaN)]).toEqual([
      '0.1235',
      '-2.0000',
      '1.2340e-04',
      'nan',
    ]);
    expect([formatTimePerUnit(2.4), formatTimePerUnit(0.011), formatTimePerUnit(0.0000351)]).toEqual([
      ' 2s/step',
      ' 11ms/step',
      ' 35us/step',
    ]);
  });
});

describe('fit progress output', () => {
  it('verbose 1 without a TTY prints "Epoch i/n" and one bar line per epoch with val_* last', async () => {
    const { x, y } = regressionData(20);
    const model = mlp(2);
    model.compile({ loss: 'mse', metrics: ['mae'] });
    const out = capture(false);
    await model.fit(x, y, { epochs: 2, batchSize: 8, validationSplit: 0.2, progressOutput: out });
    const lines = out.text.split('\n');
    expect(lines[0]).toBe('Epoch 1/2');
    expect(lines[1]).toMatch(
      /^2\/2 ━{20} \d+s \d+(ms|us|s)\/step - loss: \d+\.\d{4} - mae: \d+\.\d{4} - val_loss: \d+\.\d{4} - val_mae: \d+\.\d{4}$/,
    );
    expect(lines[2]).toBe('Epoch 2/2');
    expect(lines.length).toBe(5);
  });

  it('verbose 1 on a TTY redraws with \\r; verbose 2 prints one line per epoch; verbose 0 nothing', async () => {
    const { x, y } = regressionData(20);
    const model = mlp(2);
    model.compile({ loss: 'mse' });
    const tty = capture(true);
    await model.fit(x, y, { epochs: 1, batchSize: 4, progressOutput: tty, verbose: 'auto' });
    expect(tty.text.startsWith('\r')).toBe(true);
    expect(tty.text.endsWith('\n')).toBe(true);
    expect(tty.text).toMatch(/\r5\/5 ━{20} \d+s \d+(ms|us|s)\/step - loss: \d+\.\d{4}\s*\n$/);
    const two = capture(true);
    await model.fit(x, y, { epochs: 2, batchSize: 4, progressOutput: two, verbose: 2 });
    expect(two.text).toMatch(
      /^Epoch 1\/2\n5\/5 - \d+s - \d+(ms|us|s)\/step - loss: \d+\.\d{4}\nEpoch 2\/2\n5\/5 - .*\n$/,
    );
    const silent = capture(true);
    await model.fit(x, y, { epochs: 1, progressOutput: silent, verbose: 0 });
    await model.evaluate(x, y, { progressOutput: silent, verbose: 0 });
    expect(silent.text).toBe('');
    const evaluation = capture(false);
    await model.evaluate(x, y, { batchSize: 10, progressOutput: evaluation });
    expect(evaluation.text).toMatch(/^2\/2 ━{20} \d+s \d+(ms|us|s)\/step - loss: \d+\.\d{4}\n$/);
    const prediction = capture(false);
    (model.predict(x, { batchSize: 10, progressOutput: prediction }) as { dispose(): void }).dispose();
    expect(prediction.text).toMatch(/^2\/2 ━{20} \d+s \d+(ms|us|s)\/step\n$/);
    expect(new ProgbarLogger({ output: two })).toBeInstanceOf(ProgbarLogger);
  });
});

describe('ProgbarLogger timing', () => {
  it('counts the first step: a one-step predict that took 2.8 s reports 3s, not microseconds', () => {
    const time = clock();
    const out = capture(false);
    const logger = new ProgbarLogger({ output: out, now: time.now });
    logger.setParams({ verbose: 1, epochs: 1, steps: 1 });
    logger.onPredictBegin();
    time.set(2.8);
    logger.onPredictBatchEnd(0);
    logger.onPredictEnd();
    expect(out.text).toBe('1/1 ━━━━━━━━━━━━━━━━━━━━ 3s 3s/step\n');
  });

  it('times an epoch from its start: 4 steps over 2 s are 500ms/step', () => {
    const time = clock();
    const out = capture(false);
    const logger = new ProgbarLogger({ output: out, now: time.now });
    logger.setParams({ verbose: 2, epochs: 1, steps: 4 });
    logger.onEpochBegin(0);
    for (let step = 0; step < 4; step++) {
      time.set((step + 1) * 0.5);
      logger.onTrainBatchEnd(step, { loss: 1 });
    }
    logger.onEpochEnd(0, { loss: 1 });
    expect(out.text).toBe('4/4 - 2s - 500ms/step - loss: 1.0000\n');
  });
});

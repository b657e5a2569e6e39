/**
 * `strata lint` and `strata summary` on files written to mislead: a `"__proto__"` key hiding
 * config, broken layer graphs, and terminal escape sequences in names.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
// The zip writer is internal to @strata/graph; the test builds a hostile archive with it.
import { writeZip } from '../../graph/src/files/zip.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run, type CliIo } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-cli-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[], tty = false): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    cwd: dir,
    env: {},
    stdoutIsTTY: tty,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

function write(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

const inputLayer = (name: string): string =>
  `{"module":"keras.layers","class_name":"InputLayer","registered_name":null,"name":"${name}","inbound_nodes":[],"config":{"name":"${name}","batch_shape":[null,4],"dtype":"float32"}}`;
const denseCall = (name: string, from: string, extra = ''): string =>
  `{"module":"keras.layers","class_name":"Dense","registered_name":null,"name":"${name}","config":{"name":"${name}","units":4${extra}},` +
  `"inbound_nodes":[{"args":[{"class_name":"__keras_tensor__","config":{"shape":[null,4],"dtype":"float32","keras_history":["${from}",0,0]}}],"kwargs":{}}]}`;
const functional = (layers: string[], output: string): string =>
  `{"module":"keras","class_name":"Functional","registered_name":null,"config":{"name":"f","layers":[${layers.join(',')}],` +
  `"input_layers":[["in",0,0]],"output_layers":[["${output}",0,0]]}}`;

describe('a "__proto__" key in a layer config', () => {
  // Dense "probs" is a softmax only through its hidden prototype; Dropout after it is the classic mistake.
  const hidden = write(
    'hidden-softmax.json',
    functional(
      [
        inputLayer('in'),
        denseCall('probs', 'in', ',"__proto__":{"activation":"softmax"}'),
        `{"module":"keras.layers","class_name":"Dropout","registered_name":null,"name":"drop","config":{"name":"drop","rate":0.5},` +
          `"inbound_nodes":[{"args":[{"class_name":"__keras_tensor__","config":{"shape":[null,4],"dtype":"float32","keras_history":["probs",0,0]}}],"kwargs":{}}]}`,
      ],
      'drop',
    ),
  );

  it('makes strata lint refuse the file (exit 2) naming the key, not report "0 problems"', async () => {
    const result = await cli(['lint', hidden]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/hidden-softmax\.json/);
    expect(result.stdout).toMatch(/config\.layers\[1\]\.config: has a key "__proto__"/);
  });

  it('makes strata summary refuse the file (exit 2) naming the key', async () => {
    const result = await cli(['summary', hidden]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/hidden-softmax\.json.*has a key "__proto__"/);
  });
});

describe('broken layer graphs', () => {
  const dangling = write('dangling.json', functional([inputLayer('in'), denseCall('d', 'ghost')], 'd'));
  const cycle = write('cycle.json', functional([inputLayer('in'), denseCall('a', 'b'), denseCall('b', 'a')], 'b'));
  const badOutput = write('bad-output.json', functional([inputLayer('in'), denseCall('d', 'in')], 'nowhere'));

  it('strata lint reports a dangling reference, a cycle and a missing output layer as errors (exit 2)', async () => {
    for (const [file, message] of [
      [dangling, /layer "d" node 0: input refers to missing layer "ghost"/],
      [cycle, /has a cycle through "a", "b"/],
      [badOutput, /output refers to missing layer "nowhere"/],
    ] as const) {
      const result = await cli(['lint', file, '--format', 'json']);
      expect(result.code, file).toBe(2);
      expect(result.stderr, file).toMatch(message);
    }
  });

  it('strata summary reports them as errors (exit 2) instead of printing a table', async () => {
    for (const file of [dangling, cycle, badOutput]) {
      const result = await cli(['summary', file]);
      expect(result.code, file).toBe(2);
      expect(result.stdout, file).toBe('');
      expect(result.stderr, file).toMatch(/layer graph is broken/);
    }
  });
});

describe('terminal escape sequences in names', () => {
  const ESC = '\\u001b';
  const evilName = 'probs\\u001b[2J\\u001b[H0 problems\\r';
  const named = write(
    'escape-names.json',
    `{"module":"keras","class_name":"Sequential","registered_name":null,"config":{"name":"m\\u001b]0;pwned\\u0007","layers":[` +
      `{"module":"keras.layers","class_name":"InputLayer","registered_name":null,"config":{"name":"in","batch_shape":[null,4]}},` +
      `{"module":"keras.layers","class_name":"Dense","registered_name":null,"config":{"name":"${evilName}","units":3,"activation":"softmax"}},` +
      `{"module":"keras.layers","class_name":"Dropout","registered_name":null,"config":{"name":"drop","rate":0.5}}]}}`,
  );
  const rawControl = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

  it('strata lint (stylish, also with colour) prints them escaped', async () => {
    for (const tty of [false, true]) {
      const result = await cli(['lint', named, ...(tty ? ['--color'] : [])], tty);
      expect(result.code).toBe(1);
      expect(result.stdout.replace(/\u001b\[\d+m/g, '')).not.toMatch(rawControl);
      expect(result.stdout).toContain(`probs${ESC}[2J${ESC}[H0 problems\\u000d`);
    }
  });

  it('strata summary prints them escaped', async () => {
    const result = await cli(['summary', named]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(rawControl);
    expect(result.stdout).toContain(`Model: "m${ESC}]0;pwned\\u0007"`);
    expect(result.stdout).toContain(`probs${ESC}[2J`);
  });

  it('error messages quoting zip member names are printed escaped (lint and summary)', async () => {
    const encoder = new TextEncoder();
    writeFileSync(join(dir, 'members.keras'), writeZip([['\u001b[2J\u001b[Hreadme.txt', encoder.encode('hi'), true]]));
    const lint = await cli(['lint', 'members.keras']);
    expect(lint.code).toBe(2);
    expect(lint.stdout).not.toMatch(rawControl);
    expect(lint.stdout).toContain(`${ESC}[2J${ESC}[Hreadme.txt`);
    const summary = await cli(['summary', 'members.keras']);
    expect(summary.code).toBe(2);
    expect(summary.stderr).not.toMatch(rawControl);
    expect(summary.stderr).toContain(`${ESC}[2J${ESC}[Hreadme.txt`);
  });
});

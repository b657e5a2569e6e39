import { readdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it, expect } from 'vitest';
import { runCli } from '../../../packages/cli/src/run-in-process.test-suite.js';
it('converts all', async () => {
  const jobs: object[] = [];
  const add = async (label: string, dir: string, inputs: string[], outputs: string[]) => {
    for (const f of ['model.keras', 'model.h5']) {
      if (!existsSync(join(dir, f))) continue;
      const out = `/tmp/f7conv/${label}__${f.replace('.', '_')}.keras`;
      const r = await runCli(['convert', join(dir, f), out], '/tmp');
      if (r.code !== 0) { console.log('FAIL', label, f, r.stderr); continue; }
      jobs.push({ converted: out, original: join(dir, f), inputs: inputs.map((x) => join(dir, x)), expected: outputs.map((x) => join(dir, x)), keras_written: join(dir, 'model.keras') });
    }
  };
  const G = '/work/shared/keras3-golden/cases';
  for (const c of readdirSync(G)) {
    const files = readdirSync(join(G, c));
    await add(c, join(G, c), files.filter((f) => /^x\d+\.npy$/.test(f)).sort(), files.filter((f) => /^y\d+\.npy$/.test(f)).sort());
  }
  const A = join(import.meta.dirname, '../../../packages/core/src/layers/attention/fixtures');
  for (const c of JSON.parse(readFileSync(join(A, 'cases.json'), 'utf8')) as { name: string; inputs: string[]; outputs: string[] }[]) await add(`att_${c.name}`, join(A, c.name), c.inputs, c.outputs);
  writeFileSync('/tmp/f7conv/jobs.json', JSON.stringify(jobs, null, 1));
  expect(jobs.length).toBeGreaterThan(0);
}, 600000);

/**
 * Issue 8: seeded fuzzing of real model files. The real third-party fixtures
 * (../shared/fixtures/real-models) and the Keras 3.15.1 goldens (../shared/keras3-golden)
 * are mutated — bit flips (half of them in the headers and directories at either end),
 * truncation, and for `.keras` zips member swaps, drops and renames — into 200 cases from
 * a fixed seed. Each case is read as lint/summary read it (`readModelFile`, `weights()`),
 * by `loadModel`, and by `strata lint` and `strata summary` themselves, in a child process
 * with a heap limit and a timeout: every reader must load the file or throw the typed error
 * (ModelFileError / ModelLoadError; exit 0–2 for the CLI), never a RangeError/TypeError, a
 * crash (CLI exit 3) or a hang, with bounded peak memory, no leaked tensors, and no raw
 * control character printed by the CLI (mutated names are escaped).
 * Skipped visibly when ../shared is absent.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openZipArchive, writeZip } from '../../packages/graph/src/files/zip.js';
import { mulberry32 } from '../../packages/core/src/utils/random-seed.js';
import type { LoadCase } from './load-cases.js';
import { runCasesInChild, type ChildRun } from './run-cases.js';

const SHARED = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared');
const REAL = join(SHARED, 'fixtures/real-models');
const GOLDEN = join(SHARED, 'keras3-golden/cases');
const HAVE = existsSync(REAL) && existsSync(GOLDEN);
const CASES = 200;
const SEED = 0x5eed8;
const MAX_RSS_BYTES = 1024 * 2 ** 20;

/** A fixture: the file to read and the sibling files it needs (shards, weights files). */
interface Source {
  label: string;
  main: string;
  siblings: string[];
}

function sources(): Source[] {
  const list: Source[] = [];
  for (const name of readdirSync(REAL)) {
    const path = join(REAL, name);
    if (name.endsWith('.keras') || (name.endsWith('.h5') && !name.includes('_weights')))
      list.push({ label: name, main: path, siblings: [] });
  }
  list.push({
    label: 'hls4ml json + weights',
    main: join(REAL, 'hls4ml_KERAS_conv2d_model.json'),
    siblings: [join(REAL, 'hls4ml_KERAS_conv2d_model_weights.h5')],
  });
  list.push({
    label: 'tfjs model.json + shard',
    main: join(REAL, 'tfjs_layers_model/model.json'),
    siblings: [join(REAL, 'tfjs_layers_model/weights.bin')],
  });
  for (const name of readdirSync(GOLDEN).sort()) {
    for (const file of ['model.keras', 'model.h5']) {
      const path = join(GOLDEN, name, file);
      if (existsSync(path)) list.push({ label: `${name}/${file}`, main: path, siblings: [] });
    }
  }
  return list;
}

type Mutation = (bytes: Uint8Array, random: () => number) => { bytes: Uint8Array; what: string };

const bitFlips: Mutation = (bytes, random) => {
  const out = Uint8Array.from(bytes);
  const flips = 1 + Math.floor(random() * 8);
  const at: number[] = [];
  for (let i = 0; i < flips; i++) {
    // Half the flips land in the first 2 KB or last 1 KB: superblocks, headers, zip directories.
    const edge = random() < 0.5;
    const position = edge
      ? random() < 0.5
        ? Math.floor(random() * Math.min(2048, out.length))
        : out.length - 1 - Math.floor(random() * Math.min(1024, out.length))
      : Math.floor(random() * out.length);
    out[position]! ^= 1 << Math.floor(random() * 8);
    at.push(position);
  }
  return { bytes: out, what: `flipped bits at ${at.join(', ')}` };
};

const truncation: Mutation = (bytes, random) => {
  const length = Math.floor(random() * bytes.length);
  return { bytes: bytes.slice(0, length), what: `truncated to ${length} of ${bytes.length} bytes` };
};

const memberShuffle: Mutation = (bytes, random) => {
  const archive = openZipArchive(bytes, 'fixture');
  const members = [...archive.members.keys()].map((name) => [name, archive.read(name)] as [string, Uint8Array]);
  const i = Math.floor(random() * members.length);
  const j = (i + 1 + Math.floor(random() * (members.length - 1))) % members.length;
  const choice = random();
  let what: string;
  if (choice < 0.4) {
    [members[i]![1], members[j]![1]] = [members[j]![1], members[i]![1]];
    what = `swapped the contents of ${members[i]![0]} and ${members[j]![0]}`;
  } else if (choice < 0.7) {
    what = `dropped ${members[i]![0]}`;
    members.splice(i, 1);
  } else {
    what = `renamed ${members[i]![0]} to ${members[j]![0]}`;
    members[i]![0] = members[j]![0];
  }
  return { bytes: writeZip(members.map(([name, data]) => [name, data, name.endsWith('.h5')])), what };
};

interface FuzzCase extends LoadCase {
  what: string;
}

function makeCases(root: string): FuzzCase[] {
  const random = mulberry32(SEED);
  const all = sources();
  const cases: FuzzCase[] = [];
  for (let index = 0; index < CASES; index++) {
    const source = all[Math.floor(random() * all.length)]!;
    const folder = join(root, 'cases', String(index));
    mkdirSync(folder, { recursive: true });
    const files = [source.main, ...source.siblings];
    // Mutate the main file or (when there is one) a sibling: shards and weights files matter too.
    const target = files[Math.floor(random() * files.length)]!;
    let what = '';
    for (const file of files) {
      const copy = join(folder, basename(file));
      if (file !== target) {
        copyFileSync(file, copy);
        continue;
      }
      const bytes = readFileSync(file);
      const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
      const choice = random();
      const mutation = isZip && choice < 0.3 ? memberShuffle : choice < 0.7 ? bitFlips : truncation;
      const mutated = mutation(bytes, random);
      writeFileSync(copy, mutated.bytes);
      what = `${source.label}: ${basename(file)} ${mutated.what}`;
    }
    cases.push({ name: `case ${index}`, file: join(folder, basename(source.main)), what });
  }
  return cases;
}

describe.skipIf(!HAVE)(
  `seeded fuzzing of real model files (${CASES} cases, seed ${SEED})${HAVE ? '' : ' — skipped: ../shared fixtures absent'}`,
  () => {
    if (!HAVE) console.warn(`fuzz-fixtures: skipped, ${REAL} or ${GOLDEN} is missing`);
    const root = HAVE ? mkdtempSync(join(tmpdir(), 'strata-fuzz-')) : '';
    afterAll(() => {
      // STRATA_FUZZ_KEEP=1 keeps the mutated files, to reproduce a failing case by hand.
      if (root && process.env['STRATA_FUZZ_KEEP'] !== '1') rmSync(root, { recursive: true, force: true });
      else if (root) console.warn(`fuzz-fixtures: cases kept in ${root}`);
    });
    let run: ChildRun | undefined;
    let cases: FuzzCase[] = [];

    it('every mutated file loads or is refused with the typed error, in bounded memory, without leaks', () => {
      cases = makeCases(root);
      run = runCasesInChild(root, cases);
      expect(run.failure).toBeUndefined();
      const problems: string[] = [];
      let loaded = 0;
      for (const item of cases) {
        const reports = run.reports.get(item.name) ?? [];
        if (reports.length !== 5) problems.push(`${item.name} (${item.what}): ${reports.length} of 5 readers reported`);
        for (const report of reports) {
          if (report.outcome === 'crashed')
            problems.push(
              `${item.name} (${item.what}) ${report.reader}: ${report.error ?? `exit ${report.exitCode}`}: ${report.message ?? report.printed}`,
            );
          if (report.rawControl === true)
            problems.push(
              `${item.name} (${item.what}) ${report.reader}: printed a raw control character: ${JSON.stringify(report.printed)}`,
            );
          if (report.maxRss >= MAX_RSS_BYTES)
            problems.push(
              `${item.name} (${item.what}) ${report.reader}: peak RSS ${Math.round(report.maxRss / 2 ** 20)} MB`,
            );
          if (report.leakedTensors !== 0)
            problems.push(`${item.name} (${item.what}) ${report.reader}: ${report.leakedTensors} tensors leaked`);
          if (report.reader === 'load' && report.outcome === 'loaded') loaded++;
        }
      }
      expect(problems).toEqual([]);
      // The mutations must leave some files loadable and refuse others, or the fuzzing tests nothing.
      expect(loaded).toBeGreaterThan(0);
      expect(loaded).toBeLessThan(cases.length);
    });
  },
);

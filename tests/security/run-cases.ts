/**
 * Runs load-cases.ts in a child process over a list of files (serially, one process for
 * all, under a V8 heap limit and a timeout) and collects its per-case reports. The
 * child's peak RSS after each case is in the reports, so the case that balloons is the
 * one that fails; a case that hangs is named in `failure`.
 *
 * @packageDocumentation
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseReport, LoadCase } from './load-cases.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');

/** Reports of one child run. */
export interface ChildRun {
  /** Reports by case name (one per reader). */
  reports: Map<string, CaseReport[]>;
  /** Set when the child did not finish: the case it was on and why. */
  failure?: string;
}

/**
 * Reads every case in a child process with `TMPDIR` set to `<root>/tmp`.
 *
 * @param root - a private folder: the case list and the child's TMPDIR go there
 */
export function runCasesInChild(root: string, cases: readonly LoadCase[], timeoutMs = 600_000): ChildRun {
  const listFile = join(root, 'cases.json');
  mkdirSync(join(root, 'tmp'), { recursive: true });
  writeFileSync(listFile, JSON.stringify(cases));
  const child = spawnSync(
    process.execPath,
    [
      '--max-old-space-size=512',
      '--conditions=strata-source',
      '--import',
      'tsx',
      join(HERE, 'load-cases.ts'),
      listFile,
    ],
    {
      cwd: REPO,
      encoding: 'utf8',
      timeout: timeoutMs,
      maxBuffer: 64 * 2 ** 20,
      env: { ...process.env, TMPDIR: join(root, 'tmp'), STRATA_BACKEND: 'cpu' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const reports = new Map<string, CaseReport[]>();
  let current = '(before the first case)';
  for (const line of child.stdout.split('\n').filter((l) => l.startsWith('{'))) {
    const parsed = JSON.parse(line) as CaseReport | { started: string };
    if ('started' in parsed) {
      current = parsed.started;
      continue;
    }
    reports.set(parsed.name, [...(reports.get(parsed.name) ?? []), parsed]);
  }
  const run: ChildRun = { reports };
  if (child.status !== 0) {
    const why = child.error ? String(child.error) : child.signal ? `killed by ${child.signal}` : `exit ${child.status}`;
    run.failure = `the child stopped during case "${current}" (${why}): ${child.stderr.split('\n').slice(-5).join(' | ')}`;
  }
  return run;
}

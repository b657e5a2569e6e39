/**
 * `pnpm bench`: runs every benchmark in this folder, one after another, each in its own process
 * (benchmarks are separate from the tests and never assert timings).
 *
 *   pnpm bench            all benchmarks
 *   pnpm bench lint       only bench/lint
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const suites = readdirSync(here, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(here, entry.name, 'bench.ts')))
  .map((entry) => entry.name)
  .filter((name) => only.length === 0 || only.includes(name));

let failed = 0;
for (const suite of suites) {
  console.log(`\n=== bench/${suite} ===`);
  const result = spawnSync(
    process.execPath,
    ['--conditions=strata-source', '--import', 'tsx', join(here, suite, 'bench.ts')],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);

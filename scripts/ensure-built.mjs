// Keeps the packages' compiled output (packages/*/dist) in step with their sources, so that the
// commands people type (`pnpm strata`, `pnpm example`, …) run the built JavaScript: about 1 s and
// 100 MB for `strata lint`, where compiling the sources on the fly with tsx costs several seconds
// and far more memory. Two uses:
//   - `prepare` (after `pnpm install`): builds a fresh clone;
//   - `node --import ./scripts/ensure-built.mjs …` before a built entry point: rebuilds first when
//     a source file is newer than its package's last build (a few ms of `stat` calls otherwise).
// `pnpm build` does the same build unconditionally; `pnpm dev:strata` runs the sources instead.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packagesDir = join(root, 'packages');
const say = (line) => process.stderr.write(`strata: ${line}\n`);

/** Whether a source file is part of the build (tests are excluded by every tsconfig.build.json). */
const isBuiltSource = (name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.test-suite.ts');

/** The newest modification time (ms) of the built sources under `dir`. */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (isBuiltSource(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** The first package whose build is missing or older than its sources, or undefined. */
function stalePackage() {
  for (const name of readdirSync(packagesDir)) {
    const dir = join(packagesDir, name);
    const config = join(dir, 'tsconfig.build.json');
    if (!existsSync(config)) continue;
    // tsc -b rewrites (or at least touches) the build info whenever an input is newer than it.
    const buildInfo = join(dir, 'tsconfig.build.tsbuildinfo');
    if (!existsSync(buildInfo) || !existsSync(join(dir, 'dist'))) return `${name} (not built yet)`;
    const builtAt = statSync(buildInfo).mtimeMs;
    if (Math.max(statSync(config).mtimeMs, newestSource(join(dir, 'src'))) > builtAt)
      return `${name} (sources changed)`;
  }
  return undefined;
}

const stale = stalePackage();
if (stale !== undefined) {
  say(`building the packages (tsc -b) because of ${stale}…`);
  const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  const configs = readdirSync(packagesDir)
    .map((name) => join('packages', name, 'tsconfig.build.json'))
    .filter((config) => existsSync(join(root, config)));
  // tsc's messages go to stderr: stdout stays the command's own (`strata lint --format json > out`).
  const result = spawnSync(process.execPath, [tsc, '-b', ...configs], { cwd: root, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    say('the build failed (errors above). Fix them, or run the sources directly: pnpm dev:strata …');
    process.exit(result.status ?? 1);
  }
}

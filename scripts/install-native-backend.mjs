// Runs after `pnpm install`: tries to set up the optional native backend (@tensorflow/tfjs-node),
// whose own install step downloads libtensorflow. pnpm is told not to run that step itself
// (pnpm-workspace.yaml), because where the download cannot happen it fails with a long stack
// trace that reads like a broken install. Here the same step runs quietly and its outcome is one
// line; the full log is kept in node_modules/.strata-native-backend.log. Never fails the install.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const logFile = join(root, 'node_modules', '.strata-native-backend.log');
const say = (line) => console.log(`strata: ${line}`);

let packageDir;
try {
  const require = createRequire(join(root, 'packages', 'core', 'package.json'));
  packageDir = dirname(require.resolve('@tensorflow/tfjs-node/package.json'));
} catch {
  say('the optional native backend (@tensorflow/tfjs-node) is not installed; Strata will use WASM');
  process.exit(0);
}

const hasBinding = () =>
  existsSync(join(packageDir, 'lib')) &&
  readdirSync(join(packageDir, 'lib')).some((dir) => existsSync(join(packageDir, 'lib', dir, 'tfjs_binding.node')));

if (hasBinding()) {
  say('native backend (@tensorflow/tfjs-node) present');
  process.exit(0);
}

const result = spawnSync(process.execPath, ['scripts/install.js'], {
  cwd: packageDir,
  encoding: 'utf8',
  timeout: 300_000,
  env: { ...process.env, PATH: [join(packageDir, 'node_modules', '.bin'), process.env.PATH ?? ''].join(delimiter) },
});
const log = `${result.stdout ?? ''}\n${result.stderr ?? ''}\n${result.error ? String(result.error) : ''}`;
writeFileSync(logFile, log);
if (result.status === 0 && hasBinding()) {
  say('native backend (@tensorflow/tfjs-node) installed; Strata will use it');
} else {
  const reason =
    log
      .split('\n')
      .find((line) => /^\s*\w*Error: /.test(line))
      ?.trim() ?? `exit code ${result.status}`;
  say(
    `the optional native backend (@tensorflow/tfjs-node) was skipped: ${reason.slice(0, 160)}. Strata will use WASM (log: node_modules/.strata-native-backend.log)`,
  );
}

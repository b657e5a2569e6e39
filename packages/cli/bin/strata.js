#!/usr/bin/env node
// The published `strata` command: runs the compiled CLI. In the repository `pnpm install` builds it
// and `pnpm strata …` rebuilds it when the sources changed; `pnpm dev:strata …` runs the sources.
let cli;
try {
  cli = await import('../dist/cli.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist')) throw error;
  process.stderr.write(
    'strata: the CLI is not built (packages/cli/dist is missing). Run `pnpm build`, or from the repo root:\n' +
      '  pnpm dev:strata <command> …   (runs the TypeScript sources through tsx)\n',
  );
  process.exit(2);
}
await cli.main();

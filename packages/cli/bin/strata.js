#!/usr/bin/env node
// The published `strata` command: runs the compiled CLI (build it with `pnpm build`).
let cli;
try {
  cli = await import('../dist/cli.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist')) throw error;
  process.stderr.write(
    'strata: the CLI is not built (packages/cli/dist is missing). Run `pnpm build`, or from the repo root:\n' +
      '  node --conditions=strata-source --import tsx packages/cli/src/main.ts <command> …\n',
  );
  process.exit(2);
}
await cli.main();

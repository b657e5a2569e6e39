#!/usr/bin/env node
// The published `strata` command: runs the compiled CLI (build with `pnpm build`).
import { main } from '../dist/cli.js';

await main();

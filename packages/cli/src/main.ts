/**
 * Development entry point: `node --conditions=strata-source --import tsx packages/cli/src/main.ts`.
 *
 * @packageDocumentation
 */
import { main } from './cli.js';

await main();

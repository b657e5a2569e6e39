// Registers module-resolution hooks that append every resolved module URL to the file
// named by STRATA_MODULE_LOG, so a test can check which modules a CLI run loaded.
import { register } from 'node:module';

register(new URL('./record-module-loads-hooks.mjs', import.meta.url), { data: { log: process.env.STRATA_MODULE_LOG } });

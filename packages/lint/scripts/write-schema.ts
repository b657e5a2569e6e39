/** Regenerates schema/strata-lint.schema.json from the rule registry. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lintConfigSchema } from '../src/schema.js';

const target = fileURLToPath(new URL('../schema/strata-lint.schema.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(lintConfigSchema(), null, 2)}\n`);
console.log(`wrote ${target}`);

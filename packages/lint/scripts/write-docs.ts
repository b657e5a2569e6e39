/** Regenerates docs/rules.md and schema/strata-lint.schema.json from the rule registry. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderRulesMarkdown } from '../src/rule-docs.js';
import { lintConfigSchema } from '../src/schema.js';

const docs = fileURLToPath(new URL('../docs/rules.md', import.meta.url));
mkdirSync(fileURLToPath(new URL('../docs/', import.meta.url)), { recursive: true });
writeFileSync(docs, renderRulesMarkdown());
const schema = fileURLToPath(new URL('../schema/strata-lint.schema.json', import.meta.url));
writeFileSync(schema, `${JSON.stringify(lintConfigSchema(), null, 2)}\n`);
console.log(`wrote ${docs}\nwrote ${schema}`);

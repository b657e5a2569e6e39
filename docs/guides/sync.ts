/** Copies each `<guide>.example.ts` region into the ```ts block of `<guide>.md` that names it. */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRegions, syncGuide } from './regions.js';

const here = dirname(fileURLToPath(import.meta.url));
for (const name of readdirSync(here).filter((file) => file.endsWith('.md') && file !== 'README.md')) {
  const guide = join(here, name);
  const regions = readRegions(readFileSync(join(here, name.replace(/\.md$/, '.example.ts')), 'utf8'));
  writeFileSync(guide, syncGuide(readFileSync(guide, 'utf8'), regions));
  console.log(`synced ${name}`);
}

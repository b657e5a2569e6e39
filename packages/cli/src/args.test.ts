import { formatBytes } from '@strata/graph';
import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError, type OptionSpec } from './args.js';
import { formatShape } from './summary.js';

describe('summary formatting', () => {
  it('formats shapes and sizes like Keras', () => {
    expect(formatShape([null, 26, 26, 32])).toBe('(None, 26, 26, 32)');
    expect(formatShape([null])).toBe('(None,)');
    expect(formatBytes(121_930)).toBe('476.29 KB');
    expect(formatBytes(0)).toBe('0.00 B');
  });
});

describe('parseArgs', () => {
  const specs: OptionSpec[] = [
    { name: 'format', alias: 'f', type: 'string', choices: ['a', 'b'], description: '' },
    { name: 'max', type: 'number', description: '' },
    { name: 'color', type: 'boolean', description: '' },
  ];
  it('parses long, short, inline, negated and positional arguments', () => {
    const parsed = parseArgs(['x', '-f', 'a', '--max=3', '--no-color', '--', '--not-an-option'], specs);
    expect(parsed.positionals).toEqual(['x', '--not-an-option']);
    expect(Object.fromEntries(parsed.options)).toEqual({ format: 'a', max: 3, color: false });
  });
  it('rejects unknown options, missing values, bad choices and bad numbers', () => {
    expect(() => parseArgs(['--nope'], specs)).toThrow(UsageError);
    expect(() => parseArgs(['--format'], specs)).toThrow(/needs a value/);
    expect(() => parseArgs(['--format', 'c'], specs)).toThrow(/one of a, b/);
    expect(() => parseArgs(['--max', '1.5'], specs)).toThrow(/whole number/);
  });
});

/**
 * The --max-* flags: the load limits a CLI user can raise (issue 8), and error messages
 * that name the flag rather than the API's `limits.X`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from './args.js';
import { hintCliFlags, limitsFromOptions, LIMIT_OPTIONS, parseSize } from './limit-options.js';
import { runCli } from './run-in-process.test-suite.js';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'conv_seq.keras');
const dir = mkdtempSync(join(tmpdir(), 'strata-cli-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parsing the limit flags', () => {
  it('reads sizes in bytes, SI and binary units', () => {
    expect(parseSize('1073741824', 'max-total-bytes')).toBe(2 ** 30);
    expect(parseSize('16GiB', 'max-total-bytes')).toBe(16 * 2 ** 30);
    expect(parseSize('500MB', 'max-total-bytes')).toBe(500e6);
    expect(parseSize('1.5 kib', 'max-total-bytes')).toBe(1536);
    for (const bad of ['', '-1', '0', '12 parsecs', 'lots', 'Infinity']) {
      expect(() => parseSize(bad, 'max-total-bytes'), bad).toThrow(UsageError);
    }
    expect(() => parseSize('12XB', 'max-member-bytes')).toThrow(
      /--max-member-bytes needs a positive size such as 8GiB.*got 12XB/,
    );
  });

  it('gives only the limits that were passed', () => {
    const { options } = parseArgs(['--max-total-bytes', '16GiB', '--max-expansion=1000'], LIMIT_OPTIONS);
    expect(limitsFromOptions(options)).toEqual({ maxTotalBytes: 16 * 2 ** 30, maxExpansion: 1000 });
    expect(limitsFromOptions(parseArgs([], LIMIT_OPTIONS).options)).toEqual({});
    expect(() => limitsFromOptions(parseArgs(['--max-expansion', 'many'], LIMIT_OPTIONS).options)).toThrow(
      /--max-expansion needs a positive number/,
    );
  });

  it('rewrites the library hint into the flag', () => {
    expect(hintCliFlags('x; if the file is trusted, raise limits.maxTotalBytes')).toBe(
      'x; if the file is trusted, raise it with --max-total-bytes <size>',
    );
    expect(hintCliFlags('raise limits.maxExpansion')).toBe('raise it with --max-expansion <factor>');
    expect(hintCliFlags('raise limits.somethingElse')).toBe('raise limits.somethingElse');
  });
});

describe('the flags on lint, summary, inspect and convert', () => {
  it("are listed in each command's --help", async () => {
    for (const command of ['lint', 'summary', 'inspect', 'convert']) {
      const help = await runCli([command, '--help'], dir);
      for (const flag of ['--max-total-bytes', '--max-member-bytes', '--max-config-bytes', '--max-expansion'])
        expect(help.stdout, command).toContain(flag);
      expect(help.stdout, command).toMatch(/raise the size limits, only for files you trust/);
    }
  });

  it('reach the reader: a lowered limit refuses the file, naming the flag to raise it', async () => {
    const lint = await runCli(['lint', '--max-config-bytes', '100', FIXTURE], dir);
    expect(lint.code).toBe(2);
    expect(lint.stdout).toMatch(
      /config\.json holds .* of JSON, more than limits\.maxConfigBytes \(100 bytes\); if the file is trusted, raise it with --max-config-bytes <size>/,
    );
    expect((await runCli(['lint', '--max-config-bytes', '1MiB', FIXTURE], dir)).code).not.toBe(2);

    const summary = await runCli(['summary', '--max-total-bytes', '1000', FIXTURE], dir);
    expect(summary.code).toBe(2);
    expect(summary.stderr).toMatch(
      /zip members declare .* more than limits\.maxTotalBytes \(1000 bytes\); if the file is trusted, raise it with --max-total-bytes <size>/,
    );
    expect(summary.stderr).not.toContain('raise limits.');
    expect((await runCli(['summary', '--max-total-bytes', '1GB', FIXTURE], dir)).code).toBe(0);

    const inspect = await runCli(['inspect', '--max-member-bytes', '1000', FIXTURE], dir);
    expect(inspect.code).toBe(2);
    expect(inspect.stderr).toMatch(/raise it with --max-member-bytes <size>/);

    const convert = await runCli(['convert', '--max-total-bytes=2000', FIXTURE, join(dir, 'out.keras')], dir);
    expect(convert.code).toBe(2);
    expect(convert.stderr).toMatch(/raise it with --max-total-bytes <size>/);
    expect((await runCli(['convert', '--max-total-bytes=2GiB', FIXTURE, join(dir, 'out.keras')], dir)).code).toBe(0);
  });

  it('a bad size is a usage error (exit 2)', async () => {
    const result = await runCli(['summary', '--max-total-bytes', 'huge', FIXTURE], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--max-total-bytes needs a positive size/);
  });
});

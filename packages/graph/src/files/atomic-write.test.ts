import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { siblingTempPath, writeFileAtomic } from './atomic-write.js';
import { ModelFileError } from './errors.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const leftovers = (folder: string): string[] => readdirSync(folder).filter((name) => name.includes('.strata-tmp-'));

describe('writeFileAtomic', () => {
  it('names its temp file recognisably: .NAME.strata-tmp-<pid>-<random> beside the target', () => {
    const temp = siblingTempPath(join(dir, 'model.keras'));
    expect(temp).toMatch(new RegExp(`/\\.model\\.keras\\.strata-tmp-${process.pid}-[0-9a-f]{12}$`));
  });

  it('keeps the mode of the file it replaces', async () => {
    const target = join(dir, 'private.keras');
    writeFileSync(target, 'old');
    chmodSync(target, 0o640);
    await writeFileAtomic(target, 'new');
    expect(readFileSync(target, 'utf8')).toBe('new');
    expect(statSync(target).mode & 0o777).toBe(0o640);
    chmodSync(target, 0o604);
    await writeFileAtomic(target, 'newer');
    expect(statSync(target).mode & 0o777).toBe(0o604);
  });

  it('follows a symlink at the target: the link stays, the file it points to is replaced', async () => {
    mkdirSync(join(dir, 'real'), { recursive: true });
    const real = join(dir, 'real', 'model.keras');
    writeFileSync(real, 'old');
    chmodSync(real, 0o600);
    const link = join(dir, 'link.keras');
    symlinkSync(join('real', 'model.keras'), link);
    await writeFileAtomic(link, 'new');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(join('real', 'model.keras'));
    expect(readFileSync(real, 'utf8')).toBe('new');
    expect(statSync(real).mode & 0o777).toBe(0o600);
    expect(leftovers(dir)).toEqual([]);
    expect(leftovers(join(dir, 'real'))).toEqual([]);
  });

  it('refuses a symlink that points nowhere', async () => {
    const link = join(dir, 'dangling.keras');
    symlinkSync(join(dir, 'missing', 'x.keras'), link);
    await expect(writeFileAtomic(link, 'new')).rejects.toThrow(ModelFileError);
    await expect(writeFileAtomic(link, 'new')).rejects.toThrow(
      /dangling\.keras: is a symbolic link to .*missing.*, which does not exist/,
    );
  });

  it('removes its temp file when the save fails', async () => {
    const target = join(dir, 'a-directory.keras');
    mkdirSync(target);
    await expect(writeFileAtomic(target, 'new')).rejects.toThrow(ModelFileError);
    expect(leftovers(dir)).toEqual([]);
  });

  it("cleans a crashed save's leftovers for the same target, not a running save's nor another file's", async () => {
    const target = join(dir, 'crashed.keras');
    const dead = join(dir, '.crashed.keras.strata-tmp-2147483646-0123456789ab');
    const live = join(dir, `.crashed.keras.strata-tmp-${process.ppid}-0123456789ab`);
    const other = join(dir, '.other.keras.strata-tmp-2147483646-0123456789ab');
    for (const path of [dead, live, other]) writeFileSync(path, 'partial');
    await writeFileAtomic(target, 'new');
    expect(readFileSync(target, 'utf8')).toBe('new');
    expect(leftovers(dir).sort()).toEqual([live, other].map((p) => p.slice(dir.length + 1)).sort());
    rmSync(live);
    rmSync(other);
  });

  it('gives the library error (with the path) for a path under a regular file or a missing folder', async () => {
    const file = join(dir, 'plain.txt');
    writeFileSync(file, 'x');
    const under = join(file, 'model.keras');
    await expect(writeFileAtomic(under, 'new')).rejects.toThrow(ModelFileError);
    await expect(writeFileAtomic(under, 'new')).rejects.toThrow(
      `${under}: could not be written: ${file} is a file, not a folder`,
    );
    const missing = join(dir, 'nowhere', 'model.keras');
    await expect(writeFileAtomic(missing, 'new')).rejects.toThrow(
      `${missing}: could not be written: the folder ${join(dir, 'nowhere')} does not exist`,
    );
  });
});

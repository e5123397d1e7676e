import { mkdir, mkdtemp, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalFolderSource } from './local-folder.js';

const KEY =
  'AWS:ComplianceItem/accountid=111111111111/region=us-east-1/resourcetype=ManagedInstanceInventory/i-0123456789abcdef0.json';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchboard-folder-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Writes the object `key` of the copy; returns its path. */
async function put(key: string, text: string): Promise<string> {
  const path = join(dir, ...key.split('/'));
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  return path;
}

async function listed(): Promise<{ key: string; size: number; version: string }[]> {
  const objects = [];
  for await (const object of new LocalFolderSource(dir).list()) objects.push(object);
  return objects;
}

describe('a local bucket copy', () => {
  it('lists each file by its key, and reads it back', async () => {
    await put(KEY, '{"a":1}\n');
    expect(await listed()).toMatchObject([{ key: KEY, size: 8 }]);
    expect(Buffer.from(await new LocalFolderSource(dir).read(KEY)).toString()).toBe('{"a":1}\n');
  });

  it('tells a rewrite of the same size and time from the file read before', async () => {
    // Files written within one tick of the file system's clock share a time: as `aws s3 sync` replaces a file
    // (a new file renamed over the old), the replacement can match the old one's size and time exactly.
    const path = await put(KEY, '{"PatchState":"Missing"}\n');
    const before = await listed();
    const { mtime } = await stat(path);
    const replacement = await put('replacement.tmp', '{"PatchState":"Failed!"}\n');
    await utimes(replacement, mtime, mtime);
    await rename(replacement, path);
    const after = await listed();
    expect(after[0]!.size).toBe(before[0]!.size);
    expect(after[0]!.version).not.toBe(before[0]!.version);
    // A file left alone keeps its version.
    expect(await listed()).toEqual(after);
  });
});

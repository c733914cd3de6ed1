/**
 * review skips a file whose text hashes to its base blob's object name; the hash algorithm is read
 * off that object name, so a SHA-256 repository's files are hashed with SHA-256.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobObjectName } from '../../src/review/git.js';
import { makeTempDir, removeTempDir } from '../cli/cli-harness.js';
import { git } from './git-harness.js';

describe('blobObjectName', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  it.each(['sha1', 'sha256'])('names a blob as git does in a %s repository', async (format) => {
    const repository = join(dir, format);
    git(dir, 'init', '-q', `--object-format=${format}`, repository);
    const content = Buffer.from('int x;\n\u00e9\r\n', 'utf8');
    await writeFile(join(repository, 'a.c'), content);
    const gitName = git(repository, 'hash-object', 'a.c').trim();
    const otherName = git(repository, 'hash-object', '--stdin', '-w').trim(); // another object of the repository
    expect(gitName).toHaveLength(format === 'sha1' ? 40 : 64);
    expect(blobObjectName(content, otherName)).toBe(gitName);
  });
});

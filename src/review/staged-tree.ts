/**
 * What is staged, laid out as files: `review --staged` judges the index, not the working tree.
 * The index's files of the kinds an analysis reads are written below a temporary directory at
 * their repository paths, taken from git's object store (no filter, hook or fsmonitor runs), so
 * untracked files and unstaged edits are simply not there.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isDeclarationFile, sourceKindOf } from '../files/source-kind.js';
import { indexEntries, readBlobs, type IndexEntry } from './git.js';

export interface StagedTree {
  /** The directory standing for the repository root. */
  root: string;
  remove(): Promise<void>;
}

const SYMBOLIC_LINK = '120000';
const SUBMODULE = '160000';

/**
 * Sources, the declarations and JSON files (tsconfig, package.json, the ringlint config and its
 * baseline) the analysis reads beside them, and every symbolic link, which may lead to any of those.
 */
function isReadByAnalysis(entry: IndexEntry): boolean {
  if (entry.mode === SYMBOLIC_LINK) return true;
  return sourceKindOf(entry.path) !== undefined || isDeclarationFile(entry.path) || entry.path.toLowerCase().endsWith('.json');
}

/** Index paths are relative and normalised; anything else would write outside the tree. */
function isPlainRelativePath(path: string): boolean {
  return !path.startsWith('/') && path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

export async function writeStagedTree(repositoryRoot: string): Promise<StagedTree> {
  const index = await indexEntries(repositoryRoot);
  const entries = index.filter((entry) => entry.mode !== SUBMODULE && isPlainRelativePath(entry.path) && isReadByAnalysis(entry));
  const root = await mkdtemp(join(tmpdir(), 'ringlint-staged-'));
  const remove = () => rm(root, { recursive: true, force: true });
  try {
    for (const directory of new Set(entries.map((entry) => dirname(join(root, entry.path))))) await mkdir(directory, { recursive: true });
    const pathsByOid = new Map<string, IndexEntry[]>();
    for (const entry of entries) pathsByOid.set(entry.oid, [...(pathsByOid.get(entry.oid) ?? []), entry]);
    const links: Array<{ path: string; target: string }> = [];
    await readBlobs([...pathsByOid.keys()], repositoryRoot, (oid, content) => {
      for (const entry of pathsByOid.get(oid) ?? []) {
        // 'wx': a file is created, never written through a link already there.
        if (entry.mode === SYMBOLIC_LINK) links.push({ path: join(root, entry.path), target: content.toString('utf8') });
        else writeFileSync(join(root, entry.path), content, { flag: 'wx' });
      }
    });
    for (const link of links) await symlink(link.target, link.path);
    // Dependencies are not part of the change, but the TypeScript analysis resolves imports and
    // `extends` through them, as it does in the working tree.
    const tracksDependencies = index.some((entry) => entry.path === 'node_modules' || entry.path.startsWith('node_modules/'));
    if (!tracksDependencies && existsSync(join(repositoryRoot, 'node_modules'))) {
      await symlink(join(repositoryRoot, 'node_modules'), join(root, 'node_modules'));
    }
    return { root, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

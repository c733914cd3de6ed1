/**
 * Generates ringlint's pre-commit mirror: a git repository whose tree is the npm package as
 * `npm pack` makes it (built JavaScript: nothing to build with dev dependencies), published beside
 * the main repository, like pre-commit/mirrors-eslint, except that ringlint is on no registry, so
 * the mirror carries the package itself instead of depending on it by name.
 *
 * pre-commit installs a `language: node` hook repository in three steps: `npm install` in its
 * clone, `npm pack` there (whose standard output it takes as the tarball's name), then
 * `npm install -g <tarball>` into the hook's environment, after which it deletes the clone's
 * node_modules. Against the main repository the first step ran the `prepare` build with every dev
 * dependency, and the second printed the build's banner into the tarball's name. The mirror has:
 * - package.json with the runtime dependencies, only the install-time lifecycle scripts (no
 *   devDependencies, no prepare: `npm pack` prints the name alone), and `bundleDependencies`:
 *   the tarball carries the dependencies the first step installed, so the global install resolves
 *   and downloads nothing. (npm honours no lockfile when it installs a tarball: without the bundle
 *   it asks the registry for every dependency's metadata, and fails offline.)
 * - package-lock.json, the runtime part of ringlint's own lockfile: the first step installs the
 *   versions ringlint is tested with, from npm's cache when the registry is out of reach.
 * - .npmrc with ignore-scripts for the first step, which only feeds `npm pack`: bundled packages
 *   are packed by their own `files` lists, which leave compiled addons out, and the global install
 *   (which reads no project .npmrc) runs their install scripts where the hook is used.
 * - .pre-commit-hooks.yaml, the hooks (written from HOOKS below).
 *
 * Run by `npm run pre-commit-mirror -- <mirror checkout or new directory>` (generate.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { SOURCE_EXTENSIONS } from '../../src/files/source-kind.js';
import { NATIVE_RUNTIME_PACKAGE } from '../../src/tree-sitter/grammar-parser.js';

interface PackageManifest {
  name: string;
  version: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}

interface LockEntry extends Partial<PackageManifest> {
  dev?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  [field: string]: unknown;
}

interface Lockfile {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
}

/** Lifecycle scripts npm runs when a package is installed; every other script is for development. */
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'];

/** pre-commit's file filter: every file kind a scan reads, whatever identify calls it. */
const SOURCE_FILES = `(?i)\\.(${SOURCE_EXTENSIONS.map((extension) => extension.slice(1)).join('|')})$`;

const HOOKS = [
  {
    id: 'ringlint',
    name: 'ringlint (new findings in the staged changes)',
    description:
      'Reports the AF_PACKET ring ownership findings that the staged changes introduce compared with HEAD. What is staged is analysed, the whole repository of it, so macros and helpers in files the commit does not touch still count; untracked files and unstaged edits do not.',
    entry: 'ringlint review --staged',
    language: 'node',
    pass_filenames: false,
    files: SOURCE_FILES,
    require_serial: true,
  },
  {
    id: 'ringlint-scan',
    name: 'ringlint (all findings)',
    description:
      'Reports every AF_PACKET ring ownership finding in the working tree, untracked files included (a baseline hides old ones).',
    entry: 'ringlint scan',
    language: 'node',
    pass_filenames: false,
    files: SOURCE_FILES,
    require_serial: true,
  },
];

const NPMRC = [
  '# pre-commit runs `npm install` here only to pack the dependencies into the tarball it installs',
  '# the hook from, where their install scripts run: nothing needs building here. (Not packed.)',
  'ignore-scripts=true',
  'audit=false',
  'fund=false',
  '',
].join('\n');

export interface GeneratedMirror {
  version: string;
  tag: string;
  commit: string;
}

export async function generateMirror(options: { repository: string; output: string }): Promise<GeneratedMirror> {
  const repository = resolve(options.repository);
  const output = resolve(options.output);
  if (!existsSync(join(repository, 'dist/src/cli/main.js'))) throw new Error(`${repository} is not built: run \`npm run build\` first`);
  const manifest = JSON.parse(await readFile(join(repository, 'package.json'), 'utf8')) as PackageManifest;
  const lockfile = JSON.parse(await readFile(join(repository, 'package-lock.json'), 'utf8')) as Lockfile;

  const tag = `v${manifest.version}`;
  await emptyCheckout(output, tag);
  const packDirectory = mkdtempSync(join(tmpdir(), 'ringlint-mirror-'));
  try {
    // --ignore-scripts: prepare would build again, and print into the JSON npm pack answers with.
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packDirectory], { cwd: repository, encoding: 'utf8' }),
    ) as Array<{ filename: string }>;
    execFileSync('tar', ['-xzf', join(packDirectory, packed!.filename), '-C', output, '--strip-components=1']);
  } finally {
    await rm(packDirectory, { recursive: true, force: true });
  }

  const consumerManifest = forConsumers(manifest);
  await writeFile(join(output, 'package.json'), `${JSON.stringify(consumerManifest, null, 2)}\n`);
  await writeFile(join(output, 'package-lock.json'), `${JSON.stringify(runtimeLockfile(consumerManifest, lockfile), null, 2)}\n`);
  await writeFile(join(output, '.npmrc'), NPMRC);
  await writeFile(
    join(output, '.pre-commit-hooks.yaml'),
    `# Generated by ringlint's npm run pre-commit-mirror (.github/pre-commit-mirror).\n${stringifyYaml(HOOKS, { lineWidth: 0 })}`,
  );

  mirrorGit(output, 'add', '-A');
  mirrorGit(output, 'commit', '-q', '-m', `ringlint ${manifest.version}`);
  mirrorGit(output, 'tag', tag);
  return { version: manifest.version, tag, commit: mirrorGit(output, 'rev-parse', 'HEAD').trim() };
}

/**
 * The output as a git work tree with nothing but .git: a new repository, or the mirror's checkout
 * emptied. A published tag is never moved: pre-commit caches each hook environment by its rev.
 */
async function emptyCheckout(output: string, tag: string): Promise<void> {
  await mkdir(output, { recursive: true });
  if (!existsSync(join(output, '.git'))) mirrorGit(output, 'init', '-q');
  if (mirrorGit(output, 'tag', '--list', tag).trim() !== '') throw new Error(`the mirror already has ${tag}: bump the version in package.json`);
  for (const entry of await readdir(output)) if (entry !== '.git') await rm(join(output, entry), { recursive: true, force: true });
}

function mirrorGit(directory: string, ...args: string[]): string {
  // Nothing configured in the mirror runs: it is a generated tree.
  return execFileSync('git', ['-c', 'core.hooksPath=/dev/null', ...args], { cwd: directory, encoding: 'utf8' });
}

/**
 * package.json as the hook environment installs it: the development fields dropped, the
 * dependencies bundled, and without tree-sitter's native runtime: on most Linux images it would be
 * compiled at every hook install (20 s and more, and a compiler), while its WebAssembly build ships
 * ready and parses a commit's files at most a few tenths of a second slower.
 */
function forConsumers(manifest: PackageManifest): PackageManifest {
  const { devDependencies: _dev, scripts, optionalDependencies, ...rest } = manifest;
  const installScripts = Object.fromEntries(Object.entries(scripts ?? {}).filter(([name]) => INSTALL_SCRIPTS.includes(name)));
  const { [NATIVE_RUNTIME_PACKAGE]: _native, ...optional } = optionalDependencies ?? {};
  return {
    ...rest,
    ...(Object.keys(optional).length > 0 ? { optionalDependencies: optional } : {}),
    ...(Object.keys(installScripts).length > 0 ? { scripts: installScripts } : {}),
    bundleDependencies: true,
  };
}

/**
 * The lockfile entries a consumer installs: from the package's dependencies (and the peers npm
 * installs with them), each name resolved as Node would from the entry that needs it.
 */
function runtimeLockfile(manifest: PackageManifest, lockfile: Lockfile): Lockfile & { name: string; version: string; requires: true } {
  const { packages } = lockfile;
  const kept = new Map<string, LockEntry>();
  const visit = (from: string, entry: Partial<PackageManifest>) => {
    const optional = entry.optionalDependencies ?? {};
    const names = [
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(optional),
      ...Object.keys(entry.peerDependencies ?? {}).filter((name) => entry.peerDependenciesMeta?.[name]?.optional !== true),
    ];
    for (const name of names) {
      const location = resolveInLockfile(packages, from, name);
      if (location === undefined) {
        if (name in optional) continue; // an optional dependency for another platform
        throw new Error(`package-lock.json has no ${name} for ${from || 'the root'}: run npm install`);
      }
      if (kept.has(location)) continue;
      const { dev: _dev, devOptional: _devOptional, peer: _peer, ...locked } = packages[location]!;
      kept.set(location, locked);
      visit(location, locked);
    }
  };
  visit('', manifest);
  const root: LockEntry = Object.fromEntries(
    ['name', 'version', 'license', 'dependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta', 'bin', 'engines']
      .filter((field) => manifest[field] !== undefined)
      .map((field) => [field, manifest[field]]),
  );
  if (manifest.scripts?.install !== undefined || manifest.scripts?.preinstall !== undefined || manifest.scripts?.postinstall !== undefined) {
    root.hasInstallScript = true;
  }
  const sorted = [...kept.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { name: manifest.name, version: manifest.version, lockfileVersion: 3, requires: true, packages: { '': root, ...Object.fromEntries(sorted) } };
}

/** Where Node finds `name` from the package at `from`: its own node_modules, then each one above. */
function resolveInLockfile(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  for (let base = from; ; ) {
    const location = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[location]) return location;
    if (base === '') return undefined;
    const parent = base.lastIndexOf('/node_modules/');
    base = parent === -1 ? '' : base.slice(0, parent);
  }
}

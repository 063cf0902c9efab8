/**
 * The package list and file ownership from the package database inside a tree: dpkg's
 * status file and info/*.list, rpm queried with `--root`, pacman's local/ folder.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ManifestPackage, PackageDatabase } from './schema.js';

export interface PackageDb {
  database: PackageDatabase;
  packages: ManifestPackage[];
  /** image path → owning package names */
  owners: Map<string, string[]>;
}

const run = promisify(execFile);

function own(owners: Map<string, string[]>, path: string, pkg: string) {
  const clean = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const list = owners.get(clean);
  if (!list) owners.set(clean, [pkg]);
  else if (!list.includes(pkg)) list.push(pkg);
}

const byName = (a: ManifestPackage, b: ManifestPackage) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.architecture < b.architecture ? -1 : 1;

export function parseDpkgStatus(text: string): ManifestPackage[] {
  const packages: ManifestPackage[] = [];
  for (const para of text.split(/\n\s*\n/)) {
    const field = (name: string) => new RegExp(`^${name}: *(.*)$`, 'm').exec(para)?.[1]?.trim();
    const name = field('Package');
    if (!name || !/ installed$/.test(field('Status') ?? '')) continue;
    const source = field('Source')?.replace(/\s*\(.*\)$/, '');
    packages.push({
      name,
      version: field('Version') ?? '',
      architecture: field('Architecture') ?? '',
      ...(source ? { source } : {}),
    });
  }
  return packages.sort(byName);
}

async function readDpkg(root: string): Promise<PackageDb> {
  const dir = join(root, 'var/lib/dpkg');
  const packages = parseDpkgStatus(await readFile(join(dir, 'status'), 'utf8'));
  const installed = new Set(packages.map((p) => p.name));
  const owners = new Map<string, string[]>();
  const lists = (await readdir(join(dir, 'info'))).filter((f) => f.endsWith('.list')).sort();
  for (const list of lists) {
    const pkg = list.slice(0, -5).replace(/:[^:]+$/, '');
    if (!installed.has(pkg)) continue;
    const text = await readFile(join(dir, 'info', list), 'utf8');
    for (const line of text.split('\n')) if (line.startsWith('/')) own(owners, line, pkg);
  }
  return { database: 'dpkg', packages, owners };
}

function rpmDbPath(root: string): string {
  return existsSync(join(root, 'usr/lib/sysimage/rpm')) ? '/usr/lib/sysimage/rpm' : '/var/lib/rpm';
}

async function readRpm(root: string): Promise<PackageDb> {
  const base = ['--root', root, '--dbpath', rpmDbPath(root), '-qa', '--qf'];
  const list = await run(
    'rpm',
    [
      ...base,
      '%{NAME}\\t%|EPOCH?{%{EPOCH}:}|%{VERSION}-%{RELEASE}\\t%{ARCH}\\t%|SOURCERPM?{%{SOURCERPM}}|\\t%|LICENSE?{%{LICENSE}}|\\n',
    ],
    { maxBuffer: 1 << 28 },
  );
  const packages: ManifestPackage[] = [];
  for (const line of list.stdout.split('\n')) {
    const [name, version, architecture, srpm, license] = line.split('\t');
    if (!name || name === 'gpg-pubkey') continue;
    const source = srpm?.replace(/-[^-]+-[^-]+\.src\.rpm$/, '');
    packages.push({
      name,
      version: version ?? '',
      architecture: architecture ?? '',
      ...(source ? { source } : {}),
      ...(license ? { license } : {}),
    });
  }
  const files = await run('rpm', [...base, '[%{NAME}\\t%{FILENAMES}\\n]'], { maxBuffer: 1 << 30 });
  const owners = new Map<string, string[]>();
  for (const line of files.stdout.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0 && line[tab + 1] === '/') own(owners, line.slice(tab + 1), line.slice(0, tab));
  }
  return { database: 'rpm', packages: packages.sort(byName), owners };
}

/** A pacman desc/files file: %SECTION% headers, one value a line. */
export function pacmanSections(text: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    const header = /^%([A-Z0-9]+)%$/.exec(line);
    if (header) {
      current = [];
      sections.set(header[1]!, current);
    } else if (line && current) current.push(line);
  }
  return sections;
}

async function readPacman(root: string): Promise<PackageDb> {
  const local = join(root, 'var/lib/pacman/local');
  const packages: ManifestPackage[] = [];
  const owners = new Map<string, string[]>();
  for (const entry of (await readdir(local, { withFileTypes: true })).filter((e) => e.isDirectory())) {
    const desc = pacmanSections(await readFile(join(local, entry.name, 'desc'), 'utf8'));
    const name = desc.get('NAME')?.[0];
    if (!name) continue;
    const source = desc.get('BASE')?.[0];
    const license = desc.get('LICENSE')?.join(' AND ');
    packages.push({
      name,
      version: desc.get('VERSION')?.[0] ?? '',
      architecture: desc.get('ARCH')?.[0] ?? '',
      ...(source ? { source } : {}),
      ...(license ? { license } : {}),
    });
    const files = await readFile(join(local, entry.name, 'files'), 'utf8').catch(() => '');
    for (const f of pacmanSections(files).get('FILES') ?? []) own(owners, `/${f}`, name);
  }
  return { database: 'pacman', packages: packages.sort(byName), owners };
}

/** The database the tree holds (dpkg, then rpm, then pacman), or none. */
export async function readPackageDb(root: string): Promise<PackageDb> {
  if (existsSync(join(root, 'var/lib/dpkg/status'))) return readDpkg(root);
  if (
    ['usr/lib/sysimage/rpm', 'var/lib/rpm'].some(
      (d) => existsSync(join(root, d, 'rpmdb.sqlite')) || existsSync(join(root, d, 'Packages')),
    )
  )
    return readRpm(root);
  if (existsSync(join(root, 'var/lib/pacman/local'))) return readPacman(root);
  return { database: 'none', packages: [], owners: new Map() };
}

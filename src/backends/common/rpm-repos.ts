import { writeFileInTree } from '../../exec/tree-path.js';
import type { PackageRef, Repository } from '../../ir/schema.js';

export const KEY_DIR_PLACEHOLDER = '@IMGC_KEYS@';

export interface RepoFile {
  text: string;
  /** inline armored keys: file name → text */
  inlineKeys: Record<string, string>;
}

const flag = (b: boolean) => (b ? '1' : '0');

export function urlOf(location: string): string {
  return location.startsWith('/') ? `file://${location}` : location;
}

function keyUrls(repo: Repository, inlineKeys: Record<string, string>): string[] {
  return (repo.gpgKeys ?? []).map((k, i) => {
    if (k.includes('BEGIN PGP PUBLIC KEY')) {
      const name = `${repo.id.replace(/[^A-Za-z0-9._-]/g, '_')}-${i + 1}.asc`;
      inlineKeys[name] = k;
      return `file://${KEY_DIR_PLACEHOLDER}/${name}`;
    }
    return urlOf(k);
  });
}

/** GPG checking stays on unless the IR turns it off for a repository. */
export function rpmRepoFile(repos: readonly Repository[], flavour: 'dnf' | 'zypper'): RepoFile {
  const inlineKeys: Record<string, string> = {};
  const sections = repos.map((r) => {
    const lines = [`[${r.id}]`, `name=${r.name ?? r.id}`];
    if (r.urls.length) {
      if (flavour === 'dnf') lines.push(`baseurl=${r.urls.map(urlOf).join('\n        ')}`);
      else lines.push(`baseurl=${urlOf(r.urls[0]!)}`);
    }
    if (r.metalink) lines.push(`metalink=${r.metalink}`);
    if (r.mirrorlist) lines.push(`mirrorlist=${r.mirrorlist}`);
    if (flavour === 'zypper') {
      lines.push(`type=${r.type === 'yast2' ? 'yast2' : r.type === 'plaindir' ? 'plaindir' : 'rpm-md'}`);
      lines.push('autorefresh=0', 'keeppackages=0');
    }
    lines.push(`enabled=${flag(r.enabled !== false)}`);
    const gpg = r.gpgCheck !== false;
    lines.push(`gpgcheck=${flag(gpg)}`);
    if (r.repoGpgCheck !== undefined) lines.push(`repo_gpgcheck=${flag(r.repoGpgCheck)}`);
    const keys = keyUrls(r, inlineKeys);
    if (keys.length) lines.push(`gpgkey=${keys.join(flavour === 'dnf' ? ' ' : '\n       ')}`);
    if (r.sslVerify !== undefined) lines.push(`sslverify=${flag(r.sslVerify)}`);
    if (r.priority !== undefined) lines.push(`priority=${r.priority}`);
    if (flavour === 'dnf') {
      if (r.cost !== undefined) lines.push(`cost=${r.cost}`);
      if (r.moduleHotfixes !== undefined) lines.push(`module_hotfixes=${flag(r.moduleHotfixes)}`);
      if (r.includePackages?.length) lines.push(`includepkgs=${r.includePackages.join(',')}`);
      if (r.excludePackages?.length) lines.push(`excludepkgs=${r.excludePackages.join(',')}`);
      lines.push('skip_if_unavailable=0');
    }
    if (r.proxy) lines.push(`proxy=${r.proxy}`);
    if (r.username) lines.push(`username=${r.username}`);
    if (r.password) lines.push(`password=${r.password}`);
    return lines.join('\n');
  });
  return { text: sections.length ? `${sections.join('\n\n')}\n` : '', inlineKeys };
}

/** Flattens inline keys into step settings (plain string lists keep the plan JSON simple). */
export function keySettings(inlineKeys: Record<string, string>): Record<string, string[]> {
  const names = Object.keys(inlineKeys).sort();
  return names.length ? { inlineKeyNames: names, inlineKeyTexts: names.map((n) => inlineKeys[n]!) } : {};
}

/** A key file's name, never a path (names come from repository ids). */
export function plainFileName(name: string): string {
  if (name.includes('/') || name === '.' || name === '..') throw new Error(`not a file name: ${name}`);
  return name;
}

export function keysFromSettings(settings: Record<string, unknown> | undefined): Record<string, string> {
  const names = ((settings?.inlineKeyNames as string[] | undefined) ?? []).map(plainFileName);
  const texts = (settings?.inlineKeyTexts as string[] | undefined) ?? [];
  return Object.fromEntries(names.map((n, i) => [n, texts[i] ?? '']));
}

/** name-version.arch, the way dnf and zypper take a package argument */
export function rpmPackageSpec(p: PackageRef): string {
  return `${p.name}${p.version ? `-${p.version}` : ''}${p.arch ? `.${p.arch}` : ''}`;
}

/**
 * Writes the repositories the image keeps (settings.imageRepos) into the tree, with their
 * inline keys beside them; each family names its own two folders.
 */
export async function writeImageRepositories(
  tree: string,
  settings: Record<string, unknown>,
  folders: { repos: string; keys: string },
): Promise<void> {
  if (typeof settings.imageRepos !== 'string' || !settings.imageRepos) return;
  await writeFileInTree(tree, `${folders.repos}/imgc.repo`, settings.imageRepos);
  const keys = keysFromSettings(settings);
  if (Object.keys(keys).length === 0) return;
  for (const [name, text] of Object.entries(keys))
    await writeFileInTree(tree, `${folders.keys}/${plainFileName(name)}`, text);
}

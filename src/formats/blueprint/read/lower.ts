/**
 * Blueprint value → IR. Covers every top-level key and every customization of osbuild's
 * blueprint (reference: blueprint.md §2), the dialects it comes in (plain blueprint, bib
 * config, bib legacy `{"blueprint": …}`, images CI build configs), and osbuild's validation
 * rules as positioned diagnostics. Keys osbuild does not know are warned about and kept.
 */

import { splitDistro } from '../../../ir/distribution.js';
import type { PositionTable } from '../../../ir/positions.js';
import { blueprintCodes } from '../codes.js';
import { SEMVER_PATTERN } from '../policies.js';
import { isTable, LowerContext, type Table } from './context.js';
import { lowerLoraxRepos, modernDistroName } from './lorax.js';
import { lowerCustomizations } from './lower-customizations.js';

export const TOP_LEVEL_KEYS = [
  'name',
  'description',
  'version',
  'distro',
  'architecture',
  'packages',
  'modules',
  'enabled_modules',
  'groups',
  'containers',
  'customizations',
  'minimal',
] as const;

export type Dialect = 'blueprint' | 'build-config' | 'bib-legacy';

/** Finds the blueprint inside the document and says which dialect wraps it. */
export function unwrap(doc: Table): { blueprint: Table; base: string; dialect: Dialect; wrapper?: Table } {
  if (isTable(doc.blueprint)) {
    const { blueprint, ...rest } = doc;
    const isBuildConfig = 'options' in rest || 'depends' in rest || typeof rest.name === 'string';
    return {
      blueprint: blueprint as Table,
      base: '/blueprint',
      dialect: isBuildConfig ? 'build-config' : 'bib-legacy',
      wrapper: rest,
    };
  }
  return { blueprint: doc, base: '', dialect: 'blueprint' };
}

/**
 * A build config's `options.ostree` (ref, parent, url) asks for an OSTree image: with a URL to
 * pull from, a deployed one (ostree-disk), else a commit (decision 0112). Returns the wrapper
 * without what was lowered.
 */
function lowerOstreeOptions(ctx: LowerContext, wrapper: Table): Table {
  const options = wrapper.options;
  if (!isTable(options) || !isTable(options.ostree)) return wrapper;
  const given = options.ostree;
  const ostree: Record<string, string> = {};
  for (const key of ['ref', 'parent', 'url'])
    if (typeof given[key] === 'string' && given[key] !== '') ostree[key] = given[key] as string;
  if (Object.keys(ostree).length !== Object.keys(given).length) return wrapper;
  ctx.ir.outputs.push({ type: ostree.url ? 'ostree-disk' : 'ostree-commit', ostree });
  ctx.mapFromDocument(`/outputs/${ctx.ir.outputs.length - 1}`, '/options/ostree');
  const { ostree: _lowered, ...otherOptions } = options;
  const { options: _options, ...rest } = wrapper;
  return Object.keys(otherOptions).length ? { ...rest, options: otherOptions } : rest;
}

export interface LowerOutput {
  ctx: LowerContext;
}

export function lowerBlueprint(doc: unknown, file: string, docPositions: PositionTable): LowerContext {
  if (!isTable(doc)) {
    const ctx = new LowerContext(file, docPositions, '');
    ctx.report(blueprintCodes.notATable, { found: Array.isArray(doc) ? 'a list' : typeof doc }, '');
    return ctx;
  }
  const { blueprint, base, dialect, wrapper } = unwrap(doc);
  const ctx = new LowerContext(file, docPositions, base);
  const ir = ctx.ir;
  const ext: Record<string, unknown> = {};

  const { repos, ...rest } = blueprint;
  ctx.checkKeys(rest, TOP_LEVEL_KEYS, '', 'the blueprint');
  if (repos !== undefined) lowerLoraxRepos(ctx, blueprint);

  const name = ctx.str(blueprint, 'name', '');
  if (name !== undefined) {
    if (name.trim() === '') ctx.report(blueprintCodes.emptyName, undefined, '/name');
    ir.metadata = { ...ir.metadata, name };
    ctx.map('/metadata/name', '/name');
  }
  const description = ctx.str(blueprint, 'description', '');
  if (description !== undefined) {
    ir.metadata = { ...ir.metadata, description };
    ctx.map('/metadata/description', '/description');
  }
  const version = ctx.str(blueprint, 'version', '');
  if (version !== undefined) {
    if (!SEMVER_PATTERN.test(version)) ctx.report(blueprintCodes.versionNotSemver, { version }, '/version');
    ir.metadata = { ...ir.metadata, version };
    ctx.map('/metadata/version', '/version');
  }
  const distro = ctx.str(blueprint, 'distro', '');
  if (distro) {
    Object.assign(ir.distribution, splitDistro(modernDistroName(ctx, distro)));
    ctx.map('/distribution/id', '/distro');
    ctx.map('/distribution/release', '/distro');
  }
  const arch = ctx.str(blueprint, 'architecture', '');
  if (arch) {
    ir.distribution.architecture = arch;
    ctx.map('/distribution/architecture', '/architecture');
  }
  const minimal = ctx.bool(blueprint, 'minimal', '');
  if (minimal !== undefined) ext.minimal = minimal;

  lowerPackages(ctx, blueprint);
  lowerContainers(ctx, blueprint);

  const customizations = ctx.table(blueprint, 'customizations', '');
  if (customizations) lowerCustomizations(ctx, customizations, ext);

  if (dialect !== 'blueprint') {
    ext.dialect = dialect;
    const rest = wrapper ? lowerOstreeOptions(ctx, wrapper) : wrapper;
    if (rest && Object.keys(rest).length > 0) ext.wrapper = rest;
  }
  if (Object.keys(ctx.unknown).length > 0) ext.unknown = ctx.unknown;
  if (Object.keys(ext).length > 0) ir.extensions.blueprint = ext;
  return ctx;
}

function lowerPackages(ctx: LowerContext, bp: Table): void {
  const { ir } = ctx;
  const packageList = (key: 'packages' | 'modules') => {
    ctx.tables(bp, key, '').forEach((entry, i) => {
      const at = `/${key}/${i}`;
      ctx.checkKeys(entry, ['name', 'version'], at, `[[${key}]]`);
      const name = ctx.str(entry, 'name', at);
      if (!name) {
        ctx.report(blueprintCodes.missingRequired, { field: 'name', where: `every [[${key}]] entry` }, at);
        return;
      }
      if (key === 'modules') ctx.report(blueprintCodes.modulesArePackages, { name }, at);
      const version = ctx.str(entry, 'version', at);
      const index = ir.packages.install.length;
      ir.packages.install.push(version && version !== '*' ? { name, version } : { name });
      ctx.map(`/packages/install/${index}`, at);
    });
  };
  packageList('packages');
  packageList('modules');

  ctx.tables(bp, 'enabled_modules', '').forEach((entry, i) => {
    const at = `/enabled_modules/${i}`;
    ctx.checkKeys(entry, ['name', 'stream'], at, '[[enabled_modules]]');
    const name = ctx.str(entry, 'name', at);
    const stream = ctx.str(entry, 'stream', at);
    if (!name || !stream) {
      ctx.report(
        blueprintCodes.missingRequired,
        { field: name ? 'stream' : 'name', where: 'every [[enabled_modules]] entry' },
        at,
      );
      return;
    }
    ctx.map(`/packages/modules/${ir.packages.modules.length}`, at);
    ir.packages.modules.push({ name, stream, state: 'enabled' });
  });

  ctx.tables(bp, 'groups', '').forEach((entry, i) => {
    const at = `/groups/${i}`;
    ctx.checkKeys(entry, ['name'], at, '[[groups]]');
    const name = ctx.str(entry, 'name', at);
    if (!name) {
      ctx.report(blueprintCodes.missingRequired, { field: 'name', where: 'every [[groups]] entry' }, at);
      return;
    }
    ctx.map(`/packages/groups/${ir.packages.groups.length}`, at);
    ir.packages.groups.push({ name, kind: 'group' });
  });
}

function lowerContainers(ctx: LowerContext, bp: Table): void {
  ctx.tables(bp, 'containers', '').forEach((entry, i) => {
    const at = `/containers/${i}`;
    ctx.checkKeys(entry, ['source', 'name', 'tls-verify', 'local-storage'], at, '[[containers]]');
    const source = ctx.str(entry, 'source', at);
    if (!source) {
      ctx.report(
        blueprintCodes.missingRequired,
        { field: 'source', where: 'every [[containers]] entry' },
        at,
      );
      return;
    }
    const container: (typeof ctx.ir.containers)[number] = { source };
    const name = ctx.str(entry, 'name', at);
    if (name) container.name = name;
    const tls = ctx.bool(entry, 'tls-verify', at);
    if (tls !== undefined) container.tlsVerify = tls;
    const local = ctx.bool(entry, 'local-storage', at);
    if (local !== undefined) container.localStorage = local;
    ctx.map(`/containers/${ctx.ir.containers.length}`, at);
    ctx.ir.containers.push(container);
  });
}

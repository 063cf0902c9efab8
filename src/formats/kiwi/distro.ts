/**
 * Which distribution a KIWI description builds. KIWI has no such setting: the repositories
 * decide. The clues, strongest first: OBS project names (`obs://openSUSE:Leap:15.6/...`),
 * the distributions' own mirror URLs (with `distribution=` for apt), release and branding
 * package names, and the image name or description text. `packagemanager` alone tells only
 * the family; the names of the folders holding the description are the last resort.
 * `<release-version>` names the release outright and wins over any clue.
 */

import { dirname, sep } from 'node:path';
import { diag } from '../../diagnostics/define.js';
import type { Diagnostic } from '../../diagnostics/types.js';
import {
  type DistroGuess,
  distroFromObsProject,
  distroFromPackage,
  distroFromText,
  distroFromUrl,
  type Family,
  familiesOfPackageManager,
  familyOf,
  ONLY_RELEASE,
  refineId,
} from '../../ir/distribution.js';
import type { PositionTable } from '../../ir/positions.js';
import type { Distribution } from '../../ir/schema.js';
import { lookupTable } from '../../lib/lookup-table.js';
import { distributionOf } from '../shared/base-images.js';
import { childElements, textOf, type XElement } from './ast.js';
import { kiwiCodes } from './codes.js';

interface Clue {
  guess: DistroGuess;
  /** 4 OBS project, 3 mirror URL, 2 package, 1 name or description text */
  strength: number;
  what: string;
  el: XElement;
  attr?: string;
}

export interface KiwiDistroResult {
  distribution: Distribution;
  /** when only the family is known (from packagemanager or a kernel package) */
  family?: Family;
  diagnostics: Diagnostic[];
}

/** All clues in the description, in document order. */
export function collectClues(root: XElement): Clue[] {
  const clues: Clue[] = [];
  const add = (g: DistroGuess | undefined, strength: number, what: string, el: XElement, attr?: string) => {
    if (g) clues.push({ guess: g, strength, what, el, ...(attr ? { attr } : {}) });
  };
  for (const attr of ['name', 'displayname']) {
    const v = root.attrs[attr];
    if (v) add(distroFromText(v), 1, `image ${attr} "${v}"`, root, attr);
  }
  for (const d of childElements(root, 'description')) {
    const spec = childElements(d, 'specification')[0];
    const text = textOf(spec);
    if (spec && text) add(distroFromText(text), 1, `specification "${text}"`, spec);
  }
  for (const p of childElements(root, 'profiles').flatMap((ps) => childElements(ps, 'profile'))) {
    const v = p.attrs.description;
    if (v) add(distroFromText(v), 1, `profile description "${v}"`, p, 'description');
  }
  for (const repo of childElements(root, 'repository')) {
    const source = childElements(repo, 'source')[0];
    const path = source?.attrs.path;
    if (!source || !path) continue;
    const g = distroFromUrl(path);
    add(
      withSuite(g, repo.attrs.distribution),
      path.startsWith('obs:') ? 4 : 3,
      `repository ${path}`,
      source,
      'path',
    );
  }
  for (const type of childElements(root, 'preferences').flatMap((p) => childElements(p, 'type'))) {
    const base = type.attrs.derived_from;
    if (base) add(distroFromDerivedFrom(base), 3, `derived_from ${base}`, type, 'derived_from');
  }
  for (const pkgs of childElements(root, 'packages')) {
    for (const p of childElements(pkgs, 'package')) {
      const name = p.attrs.name;
      if (name) add(distroFromPackage(name), 2, `package ${name}`, p, 'name');
    }
  }
  return clues;
}

/** A base image: `obs://openSUSE:Containers:Leap:15.6/containers/opensuse/leap#15.6` or a registry reference. */
function distroFromDerivedFrom(ref: string): DistroGuess | undefined {
  const obs = /^obs:\/\/\/?([^/]+)\/[^/]+\/(.+)$/.exec(ref);
  if (obs) {
    const project = obs[1]!.replace(/:Containers\b/i, '');
    return distroFromObsProject(project) ?? distroFromText(obs[2]!.replace('#', ':'));
  }
  const image = distributionOf(ref.replace(/^docker:\/\//, ''));
  if (image?.id && familyOf(image.id))
    return {
      family: familyOf(image.id)!,
      id: image.id,
      ...(image.release ? { release: image.release } : {}),
    };
  return distroFromText(ref);
}

/** An apt repository's `distribution=` is the release (minus -updates, -security, /updates). */
function withSuite(g: DistroGuess | undefined, suite: string | undefined): DistroGuess | undefined {
  if (!g || !suite || (g.id !== 'debian' && g.id !== 'ubuntu' && g.id !== 'deepin')) return g;
  const release = suite.replace(/[-/](updates|security|backports|proposed)$/, '');
  return { ...g, release };
}

/**
 * Folder names a description sits in (`build-tests/x86/leap/test-image-tbz/`): the weakest
 * clue, used only when the description itself names nothing.
 */
const FOLDER_NAMES: Record<string, DistroGuess> = lookupTable({
  leap: { family: 'suse', id: 'opensuse-leap' },
  rawhide: { family: 'redhat', id: 'fedora', release: 'rawhide' },
  sles: { family: 'suse', id: 'sles' },
});

function folderClues(root: XElement, file: string): Clue[] {
  const folders = dirname(file).split(sep).slice(-3).reverse();
  for (const folder of folders) {
    const g = FOLDER_NAMES[folder.toLowerCase()] ?? distroFromText(folder);
    if (g) return [{ guess: g, strength: 0, what: `the folder name "${folder}"`, el: root }];
  }
  return [];
}

function packageManager(root: XElement): XElement | undefined {
  return childElements(root, 'preferences')
    .flatMap((p) => childElements(p, 'packagemanager'))
    .find((e) => textOf(e));
}

function releaseVersion(root: XElement): XElement | undefined {
  return childElements(root, 'preferences')
    .flatMap((p) => childElements(p, 'release-version'))
    .find((e) => textOf(e));
}

/**
 * Infers `distribution.{id,release}` and positions it at the clue that decided. A release
 * already read from `<release-version>` is kept.
 */
export function inferKiwiDistribution(
  root: XElement,
  file: string,
  read: Distribution,
  positions: PositionTable,
): KiwiDistroResult {
  const diagnostics: Diagnostic[] = [];
  const at = (el: XElement, attr?: string) => ({
    file: el.file ?? file,
    ...((attr ? el.attrPos[attr] : undefined) ?? el.pos),
  });
  const pmEl = packageManager(root);
  const pm = textOf(pmEl);
  const families = pm ? familiesOfPackageManager(pm) : [];
  const clues = [...collectClues(root), ...folderClues(root, file)];
  const named = clues
    .filter((c) => c.guess.id && (families.length === 0 || families.includes(c.guess.family)))
    .sort((a, b) => b.strength - a.strength);
  const best = named[0] ?? clues.filter((c) => c.guess.id).sort((a, b) => b.strength - a.strength)[0];
  if (!best) {
    const familyClue = clues.find((c) => families.length === 0 || families.includes(c.guess.family));
    const family = families.length === 1 ? families[0] : familyClue?.guess.family;
    const where = pmEl ?? familyClue?.el ?? root;
    diagnostics.push(
      diag(
        kiwiCodes.distroNotNamed,
        {
          family: family ? `a ${family}-family distribution` : 'no distribution',
          how: pm ? `packagemanager ${pm}` : 'no clue',
        },
        at(where),
      ),
    );
    return { distribution: read, ...(family ? { family } : {}), diagnostics };
  }
  const sameFamily = clues.filter((c) => c.guess.family === best.guess.family);
  const specificClue =
    best.guess.id === 'opensuse' ? sameFamily.find((c) => c.guess.id?.startsWith('opensuse-')) : undefined;
  const specific = specificClue?.guess.id;
  const releaseEl = releaseVersion(root);
  const stated = read.release;
  const releaseClue = sameFamily.find(
    (c) => c.guess.release && (c.guess.id === best.guess.id || c.guess.id === specific),
  );
  const release = stated ?? best.guess.release ?? releaseClue?.guess.release;
  let id = refineId(specific ?? best.guess.id!, release);
  const distribution: Distribution = { ...read, id };
  if (release) distribution.release = release;
  else if (ONLY_RELEASE[id]) distribution.release = ONLY_RELEASE[id];
  id = distribution.id!;
  const decided = at(best.el, best.attr);
  if (decided.line !== undefined && decided.column !== undefined) {
    const pos = { file: decided.file, line: decided.line, column: decided.column };
    positions['/distribution/id'] = pos;
    positions['/distribution/release'] ??= pos;
  }
  const how = [best.what];
  if (specificClue) how.push(specificClue.what);
  if (stated && releaseEl) how.push(`<release-version>`);
  else if (releaseClue && !how.includes(releaseClue.what) && !best.guess.release) how.push(releaseClue.what);
  else if (!release && ONLY_RELEASE[id]) how.push(`${id} has one release`);
  diagnostics.push(
    diag(
      kiwiCodes.distroInferred,
      { distro: distribution.release ? `${id} ${distribution.release}` : id, how: how.join(' and ') },
      at(best.el, best.attr),
    ),
  );
  const rival = clues.find((c) => c.guess.family !== familyOf(id) && c.strength >= 2);
  const pmRival = families.length > 0 && !families.includes(best.guess.family);
  if (rival || pmRival) {
    diagnostics.push(
      diag(
        kiwiCodes.distroClueConflict,
        { chosen: id, other: rival ? rival.what : `packagemanager ${pm}`, by: best.what },
        rival ? at(rival.el, rival.attr) : at(pmEl!),
      ),
    );
  }
  return { distribution, diagnostics };
}

/**
 * Forms of the lorax-composer era that osbuild-composer changed or dropped: distro names
 * without the dot (`rhel-84`, composer before v100) and `[[repos.git]]`, which had lorax
 * build an RPM from a git checkout. Read with a note saying what they mean today.
 */
import { blueprintCodes } from '../codes.js';
import { dottedRhelName } from '../vocabulary.js';
import { isTable, type LowerContext, type Table } from './context.js';

/** `rhel-84` → `rhel-8.4` (noted); any other name unchanged. */
export function modernDistroName(ctx: LowerContext, distro: string): string {
  const modern = dottedRhelName(distro);
  if (!modern) return distro;
  ctx.report(blueprintCodes.undottedDistro, { distro, modern }, '/distro');
  return modern;
}

/**
 * `[[repos.git]]`: each entry is reported (a loss: nothing today builds the RPM) and kept with
 * the unknown keys; any other key under `repos` is an unknown key as before.
 */
export function lowerLoraxRepos(ctx: LowerContext, blueprint: Table): void {
  const repos = blueprint.repos;
  if (!isTable(repos)) {
    ctx.checkKeys({ repos }, [], '', 'the blueprint');
    return;
  }
  ctx.checkKeys(repos, ['git'], '/repos', '[repos]');
  const entries = ctx.tables(repos, 'git', '/repos');
  entries.forEach((entry, i) => {
    const at = `/repos/git/${i}`;
    ctx.checkKeys(
      entry,
      ['rpmname', 'rpmversion', 'rpmrelease', 'summary', 'repo', 'ref', 'destination'],
      at,
      '[[repos.git]]',
    );
    const rpm = typeof entry.rpmname === 'string' ? entry.rpmname : '(unnamed)';
    const repo = typeof entry.repo === 'string' ? entry.repo : '(no repo)';
    const destination = typeof entry.destination === 'string' ? entry.destination : '(no destination)';
    ctx.report(blueprintCodes.loraxGitRepo, { rpm, repo, destination }, at);
  });
  // kept where unknown keys are kept, so that writing a blueprint gives it back
  if (entries.length > 0) ctx.unknown['/repos'] = repos;
}

// Run as `node use-from-js.mjs <definition>` after `npm install imgc-*.tgz`: reads, translates,
// diffs and plans the definition with the installed package and prints what it found as JSON.
import { capabilities, diff, hasErrors, plan, read, summarize, translate } from 'imgc';

const [definition, kickstart] = process.argv.slice(2);
const source = await read(definition);
if (!source.ir || hasErrors(source.diagnostics)) throw new Error(JSON.stringify(source.diagnostics));
const toMkosi = await translate(definition, { to: 'mkosi' });
const toKiwi = await translate(definition, { to: 'kiwi' });
const unknown = await translate(definition, { to: 'no-such-format' });
const same = diff(source.ir, source.ir);
const planned = await plan(definition, { outputs: ['tar'] });
const common = capabilities('mkosi');
// the Kickstart reader from the packed bundle (it once loaded chevrotain from outside it)
const ks = await read(kickstart, { distro: 'fedora:41' });
const summary = summarize({ path: definition, format: source.format, files: source.files, ...source });
console.log(
  JSON.stringify({
    format: source.format,
    distribution: source.ir.distribution,
    packages: source.ir.packages.install.map((p) => p.name),
    mkosiFiles: toMkosi.files.map((f) => f.path),
    kiwiFiles: toKiwi.files.map((f) => f.path),
    kiwiLosses: toKiwi.diagnostics.filter((d) => d.code === 'IMGC6001').length,
    unknownFormat: unknown.diagnostics.map((d) => d.code),
    selfDiffEqual: same.equal,
    planSteps: planned.plan?.steps.map((s) => s.type) ?? [],
    mkosiCapabilities: common?.length ?? 0,
    kickstartErrors: ks.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
    kickstartPackages: ks.ir?.packages.install.length ?? 0,
    summaryUsers: summary.users.map((u) => `${u.name}:${u.login}`),
  }),
);

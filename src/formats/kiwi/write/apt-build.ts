/**
 * What KIWI 9 needs to build an apt (Debian, Ubuntu) description that the IR does not say.
 *
 * KIWI bootstraps with debootstrap only when a `<packages type="bootstrap">` section exists;
 * without one it installs the image packages into an empty root and fails. An empty section
 * is enough (debootstrap's minbase, as imgc's own mmdebstrap bootstrap).
 *
 * KIWI sets `<locale>` with `systemd-firstboot --locale`, which refuses a locale that is not
 * compiled in the image; a Debian or Ubuntu bootstrap has none. So for apt descriptions with
 * a locale other than C the writer adds the `locales` package (as imgc's own Debian build
 * does) and a `post_bootstrap.sh` that preseeds which locales its postinst generates: KIWI
 * runs that hook after debootstrap and before the image packages.
 */
import { translateCodes } from '../../../diagnostics/codes/translate.js';
import { diag } from '../../../diagnostics/define.js';
import type { Diagnostic } from '../../../diagnostics/types.js';
import { readInputTextSync } from '../../../input/bounded.js';
import type { ImageIR } from '../../../ir/schema.js';
import type { OutputFile } from '../../contract.js';
import { childElements, element, textOf, type XElement } from '../ast.js';

const HOOK = 'post_bootstrap.sh';

const plain = (l: string) => /^(C|POSIX|C\.UTF-8|C\.utf8)$/i.test(l);

function charset(locale: string): string {
  const m = /\.([^@]+)/.exec(locale);
  const cs = m ? m[1]!.toUpperCase() : 'ISO-8859-1';
  return cs === 'UTF8' ? 'UTF-8' : cs;
}

/** The locale names KIWI's `<locale>` becomes (`xx_YY` → `xx_YY.UTF-8`), as glibc entries. */
function wantedLocales(ir: ImageIR): string[] {
  const all = [ir.system.locale, ...(ir.system.extraLocales ?? [])].filter(
    (l): l is string => !!l && !plain(l),
  );
  const utf8 = all.map((l) => (l.includes('.') ? l : `${l}.UTF-8`));
  return [...new Set(utf8)].map((l) => `${l} ${charset(l)}`);
}

export function fitAptBuild(
  ir: ImageIR,
  root: XElement,
  files: OutputFile[],
  schemaVersion: string,
): Diagnostic[] {
  const prefs = childElements(root, 'preferences');
  const apt = prefs.some((p) => childElements(p, 'packagemanager').some((m) => textOf(m) === 'apt'));
  if (!apt) return [];
  // use_for_bootstrap is KIWI 9's (schema 7.5); schema 8.5 has no such attribute
  const marked = schemaVersion === '7.5' ? bootstrapRepository(root) : [];
  // a description read from KIWI keeps its authors' package list and hooks as they wrote them
  const locale = ir.extensions.kiwi === undefined ? localeSupport(ir, root, files) : [];
  return [...ensureBootstrap(root), ...marked, ...locale];
}

/**
 * debootstrap takes one suite: KIWI 9 picks the first repository it sets up (it sets them up in
 * reverse order) unless one is marked; the release's own suite is marked, not -updates/-security.
 */
function bootstrapRepository(root: XElement): Diagnostic[] {
  const repos = childElements(root, 'repository').filter((r) => r.attrs.distribution !== undefined);
  if (repos.length < 2 || repos.some((r) => r.attrs.use_for_bootstrap === 'true')) return [];
  const main = repos.find((r) => !/-(updates|security|backports|proposed)$/.test(r.attrs.distribution!));
  if (!main) return [];
  main.attrs.use_for_bootstrap = 'true';
  return [
    diag(
      translateCodes.assumedDefault,
      {
        field: `<repository alias="${main.attrs.alias ?? ''}" use_for_bootstrap>`,
        value: 'true',
        from: `debootstrap takes one suite; ${main.attrs.distribution} is the release's own`,
      },
      undefined,
      { pointer: '/repositories' },
    ),
  ];
}

function ensureBootstrap(root: XElement): Diagnostic[] {
  const sections = childElements(root, 'packages');
  if (sections.some((p) => p.attrs.type === 'bootstrap')) return [];
  const last = sections.at(-1);
  const at = last ? root.children.indexOf(last) + 1 : root.children.length;
  root.children.splice(at, 0, element('packages', { type: 'bootstrap' }));
  return [
    diag(
      translateCodes.assumedDefault,
      {
        field: '<packages type="bootstrap">',
        value: 'empty',
        from: 'KIWI runs debootstrap only when the section exists',
      },
      undefined,
      { pointer: '/packages/bootstrap' },
    ),
  ];
}

function localeSupport(ir: ImageIR, root: XElement, files: OutputFile[]): Diagnostic[] {
  const prefs = childElements(root, 'preferences');
  const hasLocale = prefs.some((p) => childElements(p, 'locale').length > 0);
  const wanted = wantedLocales(ir);
  if (!hasLocale || wanted.length === 0) return [];
  const diagnostics: Diagnostic[] = [];
  const image = childElements(root, 'packages').find((p) => p.attrs.type === 'image' && !p.attrs.profiles);
  const listed = childElements(root, 'packages').some((p) =>
    childElements(p, 'package').some((x) => x.attrs.name === 'locales'),
  );
  if (!listed) {
    if (image) image.children.push(element('package', { name: 'locales' }));
    else
      root.children.push(element('packages', { type: 'image' }, [element('package', { name: 'locales' })]));
    diagnostics.push(
      diag(
        translateCodes.assumedDefault,
        {
          field: '<package name="locales">',
          value: 'added',
          from: 'KIWI can set the locale only once it is generated',
        },
        undefined,
        { pointer: '/system/locale' },
      ),
    );
  }
  // the default environment locale makes its postinst write LANG to /etc/default/locale, which
  // Debian's systemd-firstboot then leaves alone as an existing locale file
  const primary = wanted[0]!.split(' ')[0]!;
  const preseed = [
    `echo 'locales locales/locales_to_be_generated multiselect ${wanted.join(', ')}' | debconf-set-selections`,
    `echo 'locales locales/default_environment_locale select ${primary}' | debconf-set-selections`,
  ];
  const at = files.findIndex((f) => f.path === HOOK);
  const existing = at < 0 ? undefined : files[at]!;
  const body =
    existing?.content !== undefined
      ? String(existing.content)
      : existing?.copyFrom !== undefined
        ? readInputTextSync(existing.copyFrom)
        : '#!/bin/sh\nset -e\n';
  const lines = body.split('\n');
  const after = lines[0]?.startsWith('#!') ? 1 : 0;
  lines.splice(
    after,
    0,
    '# imgc: the locales the locales package generates (KIWI <locale> needs them)',
    ...preseed,
  );
  const hook: OutputFile = { path: HOOK, content: lines.join('\n'), mode: 0o755 };
  if (at < 0) files.push(hook);
  else files[at] = hook;
  diagnostics.push(
    diag(
      translateCodes.assumedDefault,
      {
        field: HOOK,
        value: wanted.join(', '),
        from: 'preseeds the locales to generate before the packages install',
      },
      undefined,
      { pointer: '/system/locale' },
    ),
  );
  return diagnostics;
}

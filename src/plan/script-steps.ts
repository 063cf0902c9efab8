/**
 * The steps the definition's scripts become, one per script and phase:
 *
 * | phase | step | runs |
 * |---|---|---|
 * | sync, pre-install, pre-packages, prepare, build, post-install, finalize | `run-script` | in the tree chain |
 * | first-boot | `first-boot-script` | installs a script and a oneshot unit (tree chain, before finalize) |
 * | pre-disk, disk | `disk-script` | inside the assembly of each disk output |
 * | post-output | `post-output-script` | on the host after every output |
 * | on-error, traceback | `error-script` | only when the build fails |
 * | clean | `clean-script` | only in `imgc clean` |
 *
 * Every step keeps the script's IR pointer as its origin, so a failure names the source line.
 */
import { isAbsolute, resolve } from 'node:path';
import { buildCodes } from '../diagnostics/codes/build.js';
import { diag } from '../diagnostics/define.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { InputRejected, readInputText } from '../input/bounded.js';
import type { Script } from '../ir/schema.js';
import { type KiwiEnvContext, planKiwiEnv } from './kiwi-env.js';
import type { StepDraft } from './steps.js';

export interface ScriptSource extends KiwiEnvContext {
  /** folder of the definition; relative script sources are read from there */
  sourceDir: string;
}

export interface ScriptText {
  name: string;
  body: string;
  interpreter: string;
}

/** The script's text (inline, or read from its source file), name and interpreter. */
export async function scriptText(
  s: Script,
  index: number,
  request: ScriptSource,
  diagnostics: Diagnostic[],
): Promise<ScriptText> {
  let body = s.body ?? '';
  if (s.source && !s.body) {
    const path = isAbsolute(s.source) ? s.source : resolve(request.sourceDir, s.source);
    try {
      body = await readInputText(path);
    } catch (e) {
      const pointer = `/scripts/${index}/source`;
      diagnostics.push(
        e instanceof InputRejected
          ? { ...e.diagnostic(), pointer }
          : diag(buildCodes.sourceMissing, { path: s.source, reason: (e as Error).message }, {}, { pointer }),
      );
    }
  }
  const name = s.name ?? s.source ?? `script ${index + 1}`;
  const shebang = /^#!\s*(\S+)/.exec(body)?.[1];
  return { name, body, interpreter: s.interpreter ?? shebang ?? '/bin/sh' };
}

const where = (chroot: boolean) => (chroot ? 'in the image' : 'on the host');
const withLog = (s: Script) => (s.log !== undefined ? { log: s.log } : {});

export async function runScriptDraft(
  s: Script,
  index: number,
  request: ScriptSource,
  diagnostics: Diagnostic[],
): Promise<StepDraft<'run-script'>> {
  const t = await scriptText(s, index, request, diagnostics);
  const kiwi = planKiwiEnv(s, index, t, request, diagnostics);
  return {
    type: 'run-script',
    title: `script ${t.name} (${s.phase}, ${where(s.chroot)})`,
    options: {
      name: t.name,
      phase: s.phase,
      chroot: s.chroot,
      interpreter: kiwi.interpreter ?? t.interpreter,
      body: t.body,
      onError: s.onError ?? 'fail',
      network: s.network ?? false,
      ...withLog(s),
      ...(kiwi.kiwiEnv ? { kiwiEnv: kiwi.kiwiEnv } : {}),
    },
    origin: [`/scripts/${index}`],
  };
}

/** A systemd unit name part: what systemd accepts, never empty. */
export function unitSlug(name: string): string {
  const slug = name
    .replace(/\.[A-Za-z0-9]+$/, '')
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 60);
  return slug || 'script';
}

export const FIRST_BOOT_DIR = '/usr/local/lib/imgc/first-boot';
export const FIRST_BOOT_STATE = '/var/lib/imgc/first-boot';

/**
 * One `first-boot-script` step per script, numbered in definition order: the units are
 * `imgc-first-boot-NN-<name>.service`, each ordered after the earlier ones. Network: a
 * first-boot script runs on the booted machine, so it waits for network-online.target
 * unless the IR says `network: false`.
 */
export async function firstBootDrafts(
  scripts: { s: Script; i: number }[],
  request: ScriptSource,
  diagnostics: Diagnostic[],
): Promise<StepDraft<'first-boot-script'>[]> {
  const drafts: StepDraft<'first-boot-script'>[] = [];
  const units: string[] = [];
  for (const [n, { s, i }] of scripts.entries()) {
    const t = await scriptText(s, i, request, diagnostics);
    const stem = `${String(n + 1).padStart(2, '0')}-${unitSlug(s.name ?? `script-${i + 1}`)}`;
    const unit = `imgc-first-boot-${stem}.service`;
    drafts.push({
      type: 'first-boot-script',
      title: `first-boot script ${t.name} (unit ${unit})`,
      options: {
        name: t.name,
        interpreter: t.interpreter,
        body: t.body,
        onError: s.onError ?? 'fail',
        network: s.network ?? true,
        ...withLog(s),
        unit,
        path: `${FIRST_BOOT_DIR}/${stem}`,
        after: [...units],
      },
      origin: [`/scripts/${i}`],
    });
    units.push(unit);
  }
  return drafts;
}

export async function diskScriptDraft(
  s: Script,
  index: number,
  request: ScriptSource,
  diagnostics: Diagnostic[],
): Promise<StepDraft<'disk-script'>> {
  const t = await scriptText(s, index, request, diagnostics);
  const phase = s.phase === 'pre-disk' ? 'pre-disk' : 'disk';
  const kiwi = planKiwiEnv(s, index, t, request, diagnostics);
  return {
    type: 'disk-script',
    title: `script ${t.name} (${phase}, ${where(s.chroot)})`,
    options: {
      name: t.name,
      phase,
      chroot: s.chroot,
      interpreter: kiwi.interpreter ?? t.interpreter,
      body: t.body,
      onError: s.onError ?? 'fail',
      network: s.network ?? false,
      ...withLog(s),
      ...(kiwi.kiwiEnv ? { kiwiEnv: kiwi.kiwiEnv } : {}),
    },
    origin: [`/scripts/${index}`],
  };
}

export async function postOutputDraft(
  s: Script,
  index: number,
  request: ScriptSource,
  diagnostics: Diagnostic[],
): Promise<StepDraft<'post-output-script'>> {
  const t = await scriptText(s, index, request, diagnostics);
  return {
    type: 'post-output-script',
    title: `script ${t.name} (post-output, on the host)`,
    options: {
      name: t.name,
      interpreter: t.interpreter,
      body: t.body,
      onError: s.onError ?? 'fail',
      ...withLog(s),
    },
    origin: [`/scripts/${index}`],
  };
}

export async function errorScriptDraft(
  s: Script,
  index: number,
  request: ScriptSource,
  diagnostics: Diagnostic[],
): Promise<StepDraft<'error-script'>> {
  const t = await scriptText(s, index, request, diagnostics);
  const phase = s.phase === 'traceback' ? 'traceback' : 'on-error';
  return {
    type: 'error-script',
    title: `script ${t.name} (${phase}, ${where(s.chroot)})`,
    options: {
      name: t.name,
      phase,
      chroot: s.chroot,
      interpreter: t.interpreter,
      body: t.body,
      ...withLog(s),
    },
    origin: [`/scripts/${index}`],
  };
}

export async function cleanScriptDraft(
  s: Script,
  index: number,
  request: ScriptSource,
  diagnostics: Diagnostic[],
): Promise<StepDraft<'clean-script'>> {
  const t = await scriptText(s, index, request, diagnostics);
  return {
    type: 'clean-script',
    title: `script ${t.name} (clean, on the host)`,
    options: {
      name: t.name,
      interpreter: t.interpreter,
      body: t.body,
      onError: s.onError ?? 'fail',
      ...withLog(s),
    },
    origin: [`/scripts/${index}`],
  };
}

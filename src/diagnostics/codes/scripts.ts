import { defineCodes } from '../define.js';

/**
 * IMGC73xx: the script phases that run outside the tree chain (first-boot, pre-disk, disk,
 * post-output, on-error, traceback, clean). A failing script itself is IMGC7019 (build.ts).
 */
export const scriptCodes = defineCodes({
  phaseNotRun: {
    code: 'IMGC7301',
    severity: 'warning',
    summary: 'a script of the definition is not run by this build, and why',
    message: (p: { script: string; phase: string; reason: string }) =>
      `script ${p.script} (${p.phase}) is not run: ${p.reason}`,
  },
  phaseApproximated: {
    code: 'IMGC7302',
    severity: 'info',
    summary: 'a script runs at a different moment or sees less than the source tool would give it',
    message: (p: { script: string; phase: string; how: string }) =>
      `script ${p.script} (${p.phase}): ${p.how}`,
  },
  handlerFailed: {
    code: 'IMGC7303',
    severity: 'warning',
    summary: 'an on-error or traceback script failed too; the build error reported before it stands',
    message: (p: { script: string; phase: string; detail: string }) =>
      `${p.phase} script ${p.script} failed as well: ${p.detail}`,
    hint: 'the error reported before this one is what failed the build',
  },
  handlersSkipped: {
    code: 'IMGC7304',
    severity: 'info',
    summary: 'on-error and traceback scripts are not run when the build is interrupted',
    message: (p: { count: number; signal: string }) =>
      `${p.count} on-error/traceback script(s) not run: the build was interrupted by ${p.signal}, it did not fail`,
  },
  firstBootUnrunnable: {
    code: 'IMGC7305',
    severity: 'warning',
    summary: 'a first-boot script was installed but will not run as written on the booted image',
    message: (p: { script: string; reason: string }) => `first-boot script ${p.script}: ${p.reason}`,
  },
  outputRemoved: {
    code: 'IMGC7306',
    severity: 'info',
    summary: '`imgc clean` removed an output of the definition',
    message: (p: { path: string }) => `removed ${p.path}`,
  },
  kiwiHelperApproximated: {
    code: 'IMGC7310',
    severity: 'warning',
    summary: "a KIWI script calls a /.kconfig function that imgc's /.kconfig does only in part",
    message: (p: { script: string; name: string; note: string }) =>
      `${p.script} calls ${p.name}, which imgc's /.kconfig does only in part: ${p.note}`,
    hint: 'docs/formats/kiwi.md#script-helpers lists what each function does in imgc; do the rest in the script',
  },
  kiwiHelperRemoved: {
    code: 'IMGC7311',
    severity: 'warning',
    summary:
      'a KIWI script calls a /.kconfig function that KIWI removed: the script stops there, in KIWI and in imgc',
    message: (p: { script: string; name: string; note: string }) =>
      `${p.script} calls ${p.name}(), which KIWI removed (${p.note}): the script stops there with status 1, in KIWI and in imgc`,
    hint: 'delete the call from the script',
  },
  kiwiVariablesEmpty: {
    code: 'IMGC7312',
    severity: 'info',
    summary: 'a KIWI script reads /.profile variables that imgc writes empty',
    message: (p: { script: string; names: string }) =>
      `${p.script} reads ${p.names}, which imgc's /.profile leaves empty (the IR holds no such value)`,
  },
  kiwiBash: {
    code: 'IMGC7313',
    severity: 'info',
    summary: 'a KIWI script without a #! line runs with /bin/bash, as KIWI runs it',
    message: (p: { script: string }) => `${p.script} has no #! line: it runs with /bin/bash, as KIWI runs it`,
  },
  kiwiEnvOnHost: {
    code: 'IMGC7314',
    severity: 'warning',
    summary:
      'a KIWI script that runs on the host uses /.kconfig or /.profile, which exist only in the image root',
    message: (p: { script: string }) =>
      `${p.script} runs on the host but uses /.kconfig or /.profile: they exist only in the image root, so it reads them there as it would under KIWI`,
  },
});

import { defineCodes } from '../define.js';

/** IMGC7xxx: planning and building images (plan, exec, backends, outputs). */
export const buildCodes = defineCodes({
  noBackend: {
    code: 'IMGC7001',
    severity: 'error',
    summary: 'no backend builds the distribution the definition asks for',
    message: (p: { distribution: string; known: string }) =>
      `no backend builds "${p.distribution}" (backends: ${p.known})`,
    hint: 'set the distribution in the definition, or pass --distro debian:bookworm',
  },
  unknownRelease: {
    code: 'IMGC7002',
    severity: 'error',
    summary: 'a release the backend does not know',
    message: (p: { distribution: string; release: string; known: string }) =>
      `unknown ${p.distribution} release "${p.release}" (known: ${p.known})`,
  },
  unsupportedArchitecture: {
    code: 'IMGC7003',
    severity: 'error',
    summary: 'an architecture the backend cannot build on this host',
    message: (p: { architecture: string; host: string }) =>
      `cannot build for ${p.architecture} on a ${p.host} host`,
    hint: 'build on a host of that architecture',
  },
  unsupportedOutput: {
    code: 'IMGC7004',
    severity: 'error',
    summary: 'an output type that this version of imgc cannot build',
    message: (p: { type: string; known: string }) =>
      `cannot build output "${p.type}" (buildable: ${p.known})`,
  },
  noRepository: {
    code: 'IMGC7005',
    severity: 'error',
    summary: 'no package repository for the image: none in the definition and none found on the host',
    message: (p: { distribution: string; looked: string }) =>
      `no ${p.distribution} repository: the definition names none and none was found in ${p.looked}`,
    hint: 'add a repository to the definition, or pass -O mirror=URL',
  },
  fieldIgnored: {
    code: 'IMGC7006',
    severity: 'warning',
    summary: 'an IR field the backend does not apply',
    message: (p: { field: string; reason: string }) => `${p.field} is not applied: ${p.reason}`,
  },
  fieldApproximated: {
    code: 'IMGC7007',
    severity: 'info',
    summary: 'an IR field the backend applies differently from how the source format would',
    message: (p: { field: string; how: string }) => `${p.field}: ${p.how}`,
  },
  needsRoot: {
    code: 'IMGC7010',
    severity: 'error',
    summary: 'building needs root (chroot, mounts, file ownership)',
    message: () => 'imgc build must run as root',
    hint: 'run it with sudo; `imgc plan` needs no root',
  },
  toolMissing: {
    code: 'IMGC7011',
    severity: 'error',
    summary: 'a host tool the build needs is not installed',
    message: (p: { tool: string; pkg: string }) => `${p.tool} is not installed`,
    hint: (p: { tool: string; pkg: string }) =>
      `install it: apt-get install ${p.pkg} (or run scripts/ensure-host-tools.sh)`,
  },
  lockTimeout: {
    code: 'IMGC7012',
    severity: 'error',
    summary: 'another build holds the cache lock for too long',
    message: (p: { path: string; pid: number; seconds: number }) =>
      `the cache ${p.path} is locked by process ${p.pid}; gave up after ${p.seconds} s`,
    hint: 'wait for the other build, or use another --cache-dir',
  },
  stepFailed: {
    code: 'IMGC7013',
    severity: 'error',
    summary: 'a build step failed',
    message: (p: { step: string; detail: string }) => `step ${p.step} failed: ${p.detail}`,
    hint: 'the build log above shows the command output; the position points at what asked for the step',
  },
  interrupted: {
    code: 'IMGC7014',
    severity: 'error',
    summary: 'the build was interrupted (Ctrl-C or a signal); everything was cleaned up',
    message: (p: { signal: string }) => `build interrupted by ${p.signal}; partial results were removed`,
  },
  diskUnavailable: {
    code: 'IMGC7015',
    severity: 'error',
    summary: 'the disk assembler is not part of this build of imgc yet',
    message: () => 'output disk not available yet: the disk assembler (src/outputs/disk) is missing',
    hint: 'build a directory or tar output meanwhile',
  },
  sourceMissing: {
    code: 'IMGC7016',
    severity: 'error',
    summary: 'a file, overlay or script named by the definition does not exist',
    message: (p: { path: string; reason: string }) => `cannot read ${p.path}: ${p.reason}`,
  },
  cacheCorrupt: {
    code: 'IMGC7017',
    severity: 'warning',
    summary: 'a cache entry was incomplete and was discarded',
    message: (p: { path: string }) => `discarded incomplete cache entry ${p.path}`,
  },
  staleWorkspace: {
    code: 'IMGC7018',
    severity: 'info',
    summary: 'leftovers of a build that was killed were removed',
    message: (p: { path: string; pid: number }) => `removed leftovers of killed build ${p.pid}: ${p.path}`,
  },
  scriptFailed: {
    code: 'IMGC7019',
    severity: 'error',
    summary: 'a script of the definition exited with an error',
    message: (p: { name: string; code: number }) => `script ${p.name} exited with status ${p.code}`,
    hint: 'set onError to ignore to let the build continue',
  },
  serviceNeedsSystemd: {
    code: 'IMGC7020',
    severity: 'error',
    summary: 'services were configured but the image has no systemctl',
    message: () => 'services are configured but the image has no /usr/bin/systemctl',
    hint: 'install systemd in the image',
  },
  outputExists: {
    code: 'IMGC7021',
    severity: 'info',
    summary: 'an output replaced a previous one of the same name',
    message: (p: { path: string }) => `replaced ${p.path}`,
  },
  treePathRefused: {
    code: 'IMGC7040',
    severity: 'error',
    summary:
      'a path of the definition cannot be written inside the image (a symlink loop, or a file over a directory)',
    message: (p: { path: string; reason: string }) => `cannot write ${p.path} in the image: ${p.reason}`,
    hint: 'check the symlinks and overlays of the definition that lead to this path',
  },
});

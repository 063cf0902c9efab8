/**
 * Runs a host package manager against a root with the API filesystems mounted inside it, the
 * way pacstrap does (proc, sys, dev, run, tmp), but in a private mount namespace: the mounts
 * exist only for that command and vanish with it, even when imgc is killed.
 */
import type { Runner, StepContext } from '../contract.js';

// A mount point that is a symlink in the tree would be followed on the host: refuse it.
const API_FS_SCRIPT = `set -e
r=$1; shift
for d in proc sys dev run tmp; do
  if [ -L "$r/$d" ]; then echo "imgc: /$d in the image is a symbolic link; refusing to mount on it" >&2; exit 1; fi
done
mkdir -p "$r/proc" "$r/sys" "$r/dev" "$r/run"
[ -d "$r/tmp" ] || mkdir -m 1777 "$r/tmp"
mount -t proc -o nosuid,noexec,nodev proc "$r/proc"
mount -t sysfs -o nosuid,noexec,nodev,ro sys "$r/sys"
mount --rbind /dev "$r/dev"
mount -t tmpfs -o nosuid,nodev,mode=0755 run "$r/run"
mount -t tmpfs -o mode=1777,strictatime,nodev,nosuid tmp "$r/tmp"
exec "$@"
`;

export interface ApiFsRun {
  env?: Record<string, string>;
  onLine?: (line: string) => void;
}

export function runWithApiFs(
  runner: Runner,
  root: string,
  command: string,
  args: readonly string[],
  options: ApiFsRun = {},
): Promise<{ stdout: string }> {
  return runner.run('/bin/sh', ['-c', API_FS_SCRIPT, 'imgc-api-fs', root, command, ...args], {
    env: options.env,
    onLine: options.onLine,
    privateMounts: true,
  });
}

/** Every tool line goes to the build log; `count` recognises one finished package. */
export function packageLines(context: StepContext, count: (line: string) => boolean, total?: number) {
  let done = 0;
  return (line: string) => {
    context.progress.log(line);
    if (count(line)) {
      done++;
      context.progress.packages(done, total && total >= done ? total : undefined);
    }
  };
}

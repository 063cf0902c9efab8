/**
 * Runs a host package manager against a root with the API filesystems mounted inside it, the
 * way pacstrap does (proc, sys, dev, run, tmp), but in a private mount namespace: the mounts
 * exist only for that command and vanish with it, even when imgc is killed.
 */
import { backendCodes } from '../../diagnostics/codes/backends.js';
import { diag } from '../../diagnostics/define.js';
import { CommandError } from '../../exec/runner.js';
import { type Runner, type StepContext, StepError } from '../contract.js';

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

/** How one package manager is run and how its failure is told. */
export interface PackageManagerRun {
  tool: string;
  args: string[];
  env: Record<string, string>;
  /** A line that reports one package installed. */
  installed: RegExp;
  /** Lines the tool prints that are noise, kept out of the failure's tail. */
  ignored?: RegExp;
  /** Lines worth quoting when the run fails. */
  worthQuoting: RegExp;
  explain: (exitCode: number | null, lines: string[]) => string;
}

/** Runs the package manager with the API filesystems; a failure becomes a StepError quoting the tool. */
export async function runPackageManager(context: StepContext, run: PackageManagerRun): Promise<void> {
  const seen: string[] = [];
  const count = packageLines(context, (l) => run.installed.test(l));
  try {
    await runWithApiFs(context.runner, context.tree, run.tool, run.args, {
      env: run.env,
      onLine: (l) => {
        if (run.ignored?.test(l)) return;
        seen.push(l);
        if (seen.length > 200) seen.shift();
        count(l);
      },
    });
  } catch (e) {
    if (!(e instanceof CommandError)) throw e;
    throw new StepError(
      diag(backendCodes.packageManagerFailed, {
        tool: run.tool,
        meaning: run.explain(e.exitCode, seen),
        detail: seen
          .filter((l) => run.worthQuoting.test(l))
          .slice(-8)
          .join('\n'),
      }),
    );
  }
}

#!/usr/bin/env bash
# Runs the README's two commands on a Debian 12 machine that has never seen imgc: a new minbase
# root (plus git, ca-certificates) made by mmdebstrap from this machine's own apt sources, this
# machine's Node copied in (Debian 12's nodejs is 18), and a clean git clone of a commit. Inside
# it, in a chroot: ./scripts/sample.sh, scripts/ensure-host-tools.sh once more (it must
# be idempotent), then ./scripts/test.sh on a quick subset of the suite. Needs root.
#
#   scripts/dev/fresh-debian-check.sh [--repo DIR] [--rev REV] [--root DIR] [--logs DIR] [-- TEST PATHS...]
#
# The root is deleted and made anew on every run: a reused root would not be fresh. Logs, times
# and exit statuses go to --logs (default: <root>.logs); the last lines are a summary.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
rev=HEAD
root=/var/tmp/fresh-deb12
logs=
tests=(test/cli test/formats/kickstart test/backends/arch)
while [ $# -gt 0 ]; do
  case $1 in
    --repo) repo=$2; shift 2 ;;
    --rev) rev=$2; shift 2 ;;
    --root) root=$2; shift 2 ;;
    --logs) logs=$2; shift 2 ;;
    --) shift; tests=("$@"); break ;;
    *) echo "fresh-debian-check: unknown argument $1 (see the head of $0)" >&2; exit 2 ;;
  esac
done
logs=${logs:-$root.logs}
shared=$(cd "$repo/.." && pwd)/shared

[ "$(id -u)" -eq 0 ] || { echo "fresh-debian-check: needs root (mmdebstrap, unshare, chroot)" >&2; exit 2; }
for tool in mmdebstrap unshare chroot git node; do
  command -v "$tool" >/dev/null || { echo "fresh-debian-check: $tool not found on this machine" >&2; exit 2; }
done
[ -d "$shared/corpus" ] || { echo "fresh-debian-check: $shared/corpus not found (the shared corpus sits beside the checkout)" >&2; exit 2; }
commit=$(git -C "$repo" rev-parse --verify "$rev^{commit}")
case $root in /|/usr|/var|/var/tmp|/tmp|"") echo "fresh-debian-check: refusing root $root" >&2; exit 2 ;; esac

# The Debian sources this machine uses: each enabled file that names a Debian archive.
sources=()
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] && grep -Eq '^[^#]*(debian|Debian)' "$f" && grep -Eq '^[^#]*(deb |URIs:)' "$f" && sources+=("$f")
done
[ ${#sources[@]} -gt 0 ] || { echo "fresh-debian-check: no Debian apt sources under /etc/apt" >&2; exit 2; }

rm -rf "$logs" && mkdir -p "$logs"
summary=$logs/summary.txt
note() { echo "$*" | tee -a "$summary"; }
# step NAME CMD...: runs CMD with its output in $logs/NAME.log, records seconds and exit status.
step() {
  local name=$1 start status=0; shift
  start=$(date +%s)
  "$@" >"$logs/$name.log" 2>&1 || status=$?
  note "$name: exit $status, $(($(date +%s) - start)) s"
  return "$status"
}
# inside CMD...: runs CMD in the fresh root, in /work/imgc, with a clean environment. A chroot in a
# private mount namespace, not systemd-nspawn: nspawn needs systemd as PID 1 (machined, a tmpfs
# /run) which build hosts, containers and CI runners often lack, and the builds need the host's
# /dev, /proc and /sys anyway. The namespace ends with the command, and its mounts with it.
inside() {
  unshare --mount --propagation private -- bash -c '
    set -e; root=$1 shared=$2; shift 2
    mount --bind "$root" "$root"   # the builds unshare mounts, which needs / to be a mount point
    mount --rbind /dev "$root/dev"
    mount -t proc proc "$root/proc"
    mount --rbind /sys "$root/sys"
    mount --bind "$shared" "$root/work/shared"
    mount -o remount,bind,ro "$root/work/shared"
    exec chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 CI=1 ${NODE_EXTRA_CA_CERTS:+NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt} \
      PATH=/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin \
      bash -c "cd /work/imgc 2>/dev/null || cd /; exec \"\$@\"" inside "$@"
  ' fresh "$root" "$shared" "$@" </dev/null
}

note "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
note "commit: $commit ($repo)"
note "host: $(. /etc/os-release && echo "$PRETTY_NAME"), $(nproc) cores; apt sources: ${sources[*]}"

if grep -q " $root/" /proc/mounts; then echo "fresh-debian-check: something is mounted under $root; unmount it first" >&2; exit 2; fi
rm -rf "$root"
step mmdebstrap nice -n 10 mmdebstrap --variant=minbase --include=git,ca-certificates bookworm "$root" "${sources[@]}"

node_bin=$(readlink -f "$(command -v node)")
npm_dir=$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)
install -D -m 0755 "$node_bin" "$root/usr/local/bin/node"
mkdir -p "$root/usr/local/lib/node_modules"
cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
mkdir -p "$root/work/shared"
# This machine's local CAs (e.g. a proxy's), so the fresh root reaches the npm registry as this
# machine does; imgc needs none of them.
local_cas=(/usr/local/share/ca-certificates/*.crt)
if [ -e "${local_cas[0]}" ]; then
  cp "${local_cas[@]}" "$root/usr/local/share/ca-certificates/"
  inside update-ca-certificates >/dev/null
  note "local CAs copied from this machine: ${local_cas[*]##*/}"
fi
note "node: $(inside node --version), npm $(inside npm --version) (copied from $node_bin)"
inside dpkg-query -W -f='${Package}\n' | sort >"$logs/packages-before.txt"
note "fresh: $(wc -l <"$logs/packages-before.txt") Debian packages before the run (minbase, git, ca-certificates); no node_modules, no out/, no imgc cache"

git clone --quiet --no-hardlinks "$repo" "$root/work/imgc"
git -C "$root/work/imgc" checkout --quiet --detach "$commit"

status=0
step sample inside ./scripts/sample.sh || status=1
inside dpkg-query -W -f='${Package}\n' | sort >"$logs/packages-after.txt"
note "sample.sh installed $(comm -13 "$logs/packages-before.txt" "$logs/packages-after.txt" | wc -l) Debian packages (list: packages-after.txt)"
step ensure-again inside bash scripts/ensure-host-tools.sh || status=1
grep -q 'installing host packages' "$logs/ensure-again.log" && { note "ensure-again: installed something on the second run (not idempotent)"; status=1; }
step test-subset inside ./scripts/test.sh "${tests[@]}" || status=1
note "test-subset: ${tests[*]}: $(tail -n 1 "$logs/test-subset.log")"
note "result: $([ "$status" = 0 ] && echo passed || echo FAILED) (logs in $logs)"
exit "$status"

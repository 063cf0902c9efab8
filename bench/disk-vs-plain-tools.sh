#!/usr/bin/env bash
# Races imgc's bootable disk against the plain-tools recipe of machine-lab.md §3 (Recipe A:
# mmdebstrap, then mkfs.vfat + mtools, mkfs.ext4 -d, sfdisk, dd), alternating runs, and prints
# medians and ratios for:
#   1. full build:  plain = mmdebstrap + Recipe A;  imgc = `imgc build <sample> --output disk
#                   --no-tree-cache` (package cache warm, tree cache not used: all the work is done)
#   2. disk stage:  Recipe A vs imgc's assembleDisk on the same finished tree
#   3. incremental: `imgc build --output disk` of the sample plus an overlay, tree cache warm,
#                   after one overlay file changed
#   4. initrd:      (issue 22) plain vs three warm imgc disk builds, tree cache off, in each run:
#                   --no-initrd-cache (mkinitramfs runs), initrd cache hit, and the `vm` initrd
#                   profile (system.initrd.profile, initrd cache warm); the load at each run
# Usage: bench/disk-vs-plain-tools.sh [runs per side, default 3] [parts, default "full stage incremental"; also "initrd"]
# Env: IMGC_BENCH_DIR (scratch, default /var/tmp/imgc-bench-disk), IMGC_BENCH_CACHE (imgc cache dir,
#      default $IMGC_BENCH_DIR/cache), IMGC_SAMPLE (default samples/blueprint/debian-minimal.toml).
# Needs root and the host tools of scripts/host-packages.txt.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-3}
parts=${2:-full stage incremental}
work=${IMGC_BENCH_DIR:-/var/tmp/imgc-bench-disk}
cache=${IMGC_BENCH_CACHE:-$work/cache}
sample=${IMGC_SAMPLE:-$repo/samples/blueprint/debian-minimal.toml}
sources=$(ls /etc/apt/sources.list.d/*.sources | head -1)   # the configured mirror, never hard-coded
mkdir -p "$work"
bash "$repo/scripts/ensure-host-tools.sh"
(cd "$repo" && npm run -s build >/dev/null 2>&1) || echo "note: tsc reported errors (dist/ was still emitted)" >&2
imgc() { node "$repo/bin/imgc.js" "$@"; }

now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ratio() { echo "scale=3; $1 / $2" | bc; }

# The sample's exact bootstrap package set and variant, from imgc's own plan.
plan_json=$(imgc plan "$sample" --output disk --json)
read -r variant suite packages < <(node -e '
  const { plan } = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const b = plan.steps.find((s) => s.type === "bootstrap").options;
  console.log(b.variant, b.suite, b.packages.join(","));' <<<"$plan_json")
echo "package set: variant=$variant suite=$suite include=$packages"

plain_tree() { # $1 = tree dir
  rm -rf "$1"
  mmdebstrap --quiet --variant="$variant" --include="$packages" \
    --customize-hook='chroot "$1" passwd -d root' \
    --customize-hook='echo imgc-sample > "$1"/etc/hostname' \
    --customize-hook='printf "LABEL=root / ext4 defaults 0 1\n" > "$1"/etc/fstab' \
    "$suite" "$1" "$sources" >/dev/null 2>&1
}

recipe_a() { # $1 = tree, $2 = output (machine-lab.md §3 Recipe A, verbatim apart from paths)
  local TREE=$1 OUT=$2 W KVER ESP_MB ROOT_MB EFI
  W=$(mktemp -d "$work/recipe-a.XXXX"); KVER=$(ls "$TREE"/lib/modules | head -1)
  EFI=$TREE/usr/lib/systemd/boot/efi/systemd-bootx64.efi; [ -f "$EFI" ] || EFI=/usr/lib/systemd/boot/efi/systemd-bootx64.efi
  ESP_MB=256; ROOT_MB=$(( $(du -sm --apparent-size "$TREE" | cut -f1) * 13 / 10 + 256 ))
  mkfs.vfat -F 32 -n ESP -C "$W/esp.img" $((ESP_MB * 1024)) >/dev/null
  export MTOOLS_SKIP_CHECK=1
  mmd -i "$W/esp.img" ::/EFI ::/EFI/BOOT ::/loader ::/loader/entries ::/debian
  mcopy -i "$W/esp.img" "$EFI" ::/EFI/BOOT/BOOTX64.EFI
  mcopy -i "$W/esp.img" "$TREE/boot/vmlinuz-$KVER" ::/debian/vmlinuz
  mcopy -i "$W/esp.img" "$TREE/boot/initrd.img-$KVER" ::/debian/initrd.img
  printf 'timeout 0\ndefault debian.conf\n' > "$W/loader.conf"
  printf 'title Debian\nlinux /debian/vmlinuz\ninitrd /debian/initrd.img\noptions root=LABEL=root rw console=ttyS0\n' > "$W/debian.conf"
  mcopy -i "$W/esp.img" "$W/loader.conf" ::/loader/loader.conf
  mcopy -i "$W/esp.img" "$W/debian.conf" ::/loader/entries/debian.conf
  mkfs.ext4 -q -L root -d "$TREE" "$W/root.img" ${ROOT_MB}M >/dev/null
  rm -f "$OUT"; truncate -s $((1 + ESP_MB + ROOT_MB + 1))M "$OUT"
  sfdisk -q "$OUT" <<SF
label: gpt
start=1MiB, size=${ESP_MB}MiB, type=uefi, name=esp
size=${ROOT_MB}MiB, type=4f68bce3-e8cd-4db1-96e7-fbcaf984b709, name=root
SF
  dd if="$W/esp.img" of="$OUT" bs=1M seek=1 conv=notrunc,sparse status=none
  dd if="$W/root.img" of="$OUT" bs=1M seek=$((1 + ESP_MB)) conv=notrunc,sparse status=none
  rm -rf "$W"
}

report() { # name, plain times..., --, imgc times...
  local name=$1; shift; local p=() i=() side=p
  for t in "$@"; do if [ "$t" = -- ]; then side=i; elif [ $side = p ]; then p+=("$t"); else i+=("$t"); fi; done
  local mp mi; mp=$(median "${p[@]}"); mi=$(median "${i[@]}")
  printf '%-12s plain: %s  median %.2f s | imgc: %s  median %.2f s | ratio imgc/plain %s\n' \
    "$name" "${p[*]}" "$mp" "${i[*]}" "$mi" "$(ratio "$mi" "$mp")"
}

declare -a results=()

if [[ " $parts " == *" full "* ]]; then
  echo "== full build (warm-up: one imgc build fills the package cache)"
  imgc build "$sample" --output disk -o "$work/out-warm" --cache-dir "$cache" --no-tree-cache >/dev/null 2>&1
  p=(); i=()
  for n in $(seq 1 "$runs"); do
    t=$(now); plain_tree "$work/plain-tree"; recipe_a "$work/plain-tree" "$work/plain.raw"; p+=("$(elapsed "$t")")
    rm -rf "$work/out"; t=$(now)
    imgc build "$sample" --output disk -o "$work/out" --cache-dir "$cache" --no-tree-cache >/dev/null 2>&1
    i+=("$(elapsed "$t")")
    echo "  run $n: plain ${p[-1]} s, imgc ${i[-1]} s"
  done
  results+=("$(report full "${p[@]}" -- "${i[@]}")")
fi

if [[ " $parts " == *" stage "* ]]; then
  echo "== disk stage only, on one finished tree"
  [ -d "$work/plain-tree/boot" ] || plain_tree "$work/plain-tree"
  p=(); i=()
  for n in $(seq 1 "$runs"); do
    t=$(now); recipe_a "$work/plain-tree" "$work/plain.raw"; p+=("$(elapsed "$t")")
    t=$(now); node "$repo/bench/disk-assemble.mjs" "$work/plain-tree" "$work/imgc.raw" "$work/assemble-work"; i+=("$(elapsed "$t")")
    echo "  run $n: plain ${p[-1]} s, imgc ${i[-1]} s"
  done
  results+=("$(report disk-stage "${p[@]}" -- "${i[@]}")")
fi

if [[ " $parts " == *" incremental "* ]]; then
  echo "== incremental rebuild after one overlay file changed (tree cache warm)"
  def=$work/incremental; rm -rf "$def"; mkdir -p "$def/overlay/etc"
  echo "first" > "$def/overlay/etc/imgc-bench"
  imgc inspect "$sample" --json | node -e '
    const { ir } = JSON.parse(require("fs").readFileSync(0, "utf8"));
    ir.overlays.push({ source: "overlay" });
    process.stdout.write(JSON.stringify(ir, null, 2));' > "$def/image.json"
  imgc build "$def/image.json" --from ir --output disk -o "$def/out" --cache-dir "$cache" >/dev/null 2>&1
  inc=()
  for n in $(seq 1 "$runs"); do
    echo "change $n $(now)" > "$def/overlay/etc/imgc-bench"
    rm -rf "$def/out"; t=$(now)
    imgc build "$def/image.json" --from ir --output disk -o "$def/out" --cache-dir "$cache" > "$def/build-$n.log" 2>&1
    inc+=("$(elapsed "$t")")
    cached=$(grep -c ': cached' "$def/build-$n.log" || true)
    echo "  run $n: ${inc[-1]} s ($cached steps served from the tree cache)"
  done
  results+=("$(printf 'incremental  imgc: %s  median %.2f s (target <= 5 s)' "${inc[*]}" "$(median "${inc[@]}")")")
fi

if [[ " $parts " == *" initrd "* ]]; then
  echo "== initrd: warm disk build, tree cache off (warm-up: each variant once, filling the caches)"
  vmdef=$work/vm; rm -rf "$vmdef"; mkdir -p "$vmdef"
  imgc inspect "$sample" --json | node -e '
    const { ir } = JSON.parse(require("fs").readFileSync(0, "utf8"));
    ir.system.initrd = { ...(ir.system.initrd ?? {}), profile: "vm" };
    process.stdout.write(JSON.stringify(ir, null, 2));' > "$vmdef/image.json"
  build_disk() { # log, then imgc build arguments
    local log=$1; shift; rm -rf "$work/out"
    imgc build "$@" --output disk -o "$work/out" --cache-dir "$cache" --no-tree-cache > "$log" 2>&1
  }
  build_disk "$work/warm-cached.log" "$sample"
  build_disk "$work/warm-vm.log" "$vmdef/image.json" --from ir
  p=(); made=(); hit=(); vm=()
  for n in $(seq 1 "$runs"); do
    load=$(cut -d' ' -f1 /proc/loadavg)
    t=$(now); plain_tree "$work/plain-tree"; recipe_a "$work/plain-tree" "$work/plain.raw"; p+=("$(elapsed "$t")")
    t=$(now); build_disk "$work/made-$n.log" "$sample" --no-initrd-cache; made+=("$(elapsed "$t")")
    t=$(now); build_disk "$work/hit-$n.log" "$sample"; hit+=("$(elapsed "$t")")
    t=$(now); build_disk "$work/vm-$n.log" "$vmdef/image.json" --from ir; vm+=("$(elapsed "$t")")
    echo "  run $n (load $load .. $(cut -d' ' -f1 /proc/loadavg)): plain ${p[-1]} s, imgc initrd made ${made[-1]} s," \
      "initrd cache hit ${hit[-1]} s ($(grep -c 'initrd cache hit' "$work/hit-$n.log") hits)," \
      "vm profile ${vm[-1]} s ($(grep -c 'initrd cache hit' "$work/vm-$n.log") hits)"
  done
  results+=("$(report initrd-made "${p[@]}" -- "${made[@]}")")
  results+=("$(report initrd-hit "${p[@]}" -- "${hit[@]}")")
  results+=("$(report initrd-vm "${p[@]}" -- "${vm[@]}")")
fi

echo
echo "== results ($runs runs each, alternating; $(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%s\n' "${results[@]}"

#!/usr/bin/env bash
# The imgc sample, end to end, on a fresh Debian 12 machine (as root): installs the npm
# dependencies and host tools, reads the sample definition, translates it into every format
# imgc writes, and builds the bootable sample disk image into out/sample/image.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/npm-deps.sh
bash scripts/ensure-host-tools.sh

imgc() { node bin/imgc.js "$@"; }
sample=samples/blueprint/debian-minimal.toml
out=out/sample
rm -rf "$out" && mkdir -p "$out"

echo "== imgc inspect $sample"
imgc inspect "$sample" > "$out/ir.yaml"
echo "   IR written to $out/ir.yaml"

for target in $(imgc formats --json | node -e 'const f=JSON.parse(require("fs").readFileSync(0,"utf8")).formats; console.log(f.filter(x=>x.writes).map(x=>x.id).join(" "))'); do
  echo "== imgc translate $sample --to $target"
  imgc translate "$sample" --to "$target" -o "$out/$target"
done

echo "== imgc build $sample --output disk"
imgc build "$sample" --output disk -o "$out/image"
ls -l "$out/image"
echo "Boot it with: qemu-system-x86_64 -machine q35 -m 2048 -bios /usr/share/ovmf/OVMF.fd -drive file=$out/image/imgc-sample.raw,format=raw -serial stdio"

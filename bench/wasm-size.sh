#!/usr/bin/env bash
# Prints the raw and gzip (-9) size of the exercise bundle that the kenshu
# binary embeds, and checks the budget: at most 100 KiB gzip for the .wasm.
#
#   bash bench/wasm-size.sh            # builds kenshu (release), then measures
#   NO_BUILD=1 bash bench/wasm-size.sh # measures the last build
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${KENSHU_WASM_TARGET_DIR:-target/wasm}/bundle"
if [ -z "${NO_BUILD:-}" ]; then
  cargo build --release -p kenshu >&2
fi
budget=$((100 * 1024))
printf '%-32s %10s %10s\n' file raw gzip
status=0
for f in kenshu-exercises_bg.wasm kenshu-exercises.js kenshu-exercises-inline.js; do
  p="$dir/$f"
  if [ ! -f "$p" ]; then echo "missing $p (build kenshu first)" >&2; exit 1; fi
  raw=$(wc -c < "$p")
  gz=$(gzip -9 -c "$p" | wc -c)
  printf '%-32s %10d %10d\n' "$f" "$raw" "$gz"
  if [ "$f" = kenshu-exercises_bg.wasm ]; then wasm_gz=$gz; fi
done
printf 'wasm gzip: %d bytes = %.1f KiB (budget %d KiB)\n' "$wasm_gz" "$(awk -v b="$wasm_gz" 'BEGIN{print b/1024}')" $((budget / 1024))
if [ "$wasm_gz" -gt "$budget" ]; then
  echo "OVER BUDGET" >&2
  status=1
fi
exit $status

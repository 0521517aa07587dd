#!/usr/bin/env bash
# Prints the raw and gzip (-9) size of the exercise bundle that the kenshu
# binary embeds, and of the 復習 page's bundle (kenshu-review: the same
# crate with its feature `review`), and checks the budget: at most 100 KiB
# gzip for each .wasm; then where the exercise bundle's bytes go, by crate
# and part (twiggy; see below).
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
for f in kenshu-exercises_bg.wasm kenshu-exercises.js kenshu-exercises-inline.js \
  kenshu-review_bg.wasm kenshu-review.js kenshu-review-inline.js; do
  p="$dir/$f"
  if [ ! -f "$p" ]; then echo "missing $p (build kenshu first)" >&2; exit 1; fi
  raw=$(wc -c < "$p")
  gz=$(gzip -9 -c "$p" | wc -c)
  printf '%-32s %10d %10d\n' "$f" "$raw" "$gz"
  if [ "$f" = kenshu-exercises_bg.wasm ]; then wasm_gz=$gz; fi
  if [ "$f" = kenshu-review_bg.wasm ]; then review_gz=$gz; fi
done
printf 'wasm gzip: %d bytes = %.1f KiB (budget %d KiB)\n' "$wasm_gz" "$(awk -v b="$wasm_gz" 'BEGIN{print b/1024}')" $((budget / 1024))
printf '復習 wasm gzip: %d bytes = %.1f KiB (budget %d KiB)\n' "$review_gz" "$(awk -v b="$review_gz" 'BEGIN{print b/1024}')" $((budget / 1024))
# Where the bytes go: the same bundle built with its function names kept
# (target/wasm-names; same code, names not stripped), read by twiggy and
# summed by crate or part. Shares are of code + data after dropping what
# wasm-bindgen removes (its describe functions); the gzip column applies each
# share to the bundle's gzip size (an estimate: parts compress differently).
#   BREAKDOWN=0 skips it; it needs twiggy (cargo install twiggy).
if [ "${BREAKDOWN:-1}" != 0 ]; then
  if ! command -v twiggy >/dev/null; then
    echo "breakdown: skipped (install twiggy: cargo install twiggy)"
  else
    names=target/wasm-names
    CARGO_PROFILE_WASM_RELEASE_STRIP=false cargo build -q --profile wasm-release \
      -p kenshu-exercises-ui --target wasm32-unknown-unknown --target-dir "$names" >&2
    echo "breakdown (twiggy; raw bytes before wasm-bindgen, est. gzip):"
    twiggy top -n 1000000 --format csv "$names/wasm32-unknown-unknown/wasm-release/kenshu_exercises_ui.wasm" |
      awk -F, -v gz="$wasm_gz" '
        NR == 1 { next }
        {
          size = $(NF - 3); n = $0
          if (n ~ /^"?custom section|subsection|describe|externref_table/) next
          if (n ~ /^"?data/) b = "data (strings, tables)"
          else if (n ~ /kenshu_exercises_ui::progress/) b = "app: 学習の記録 (progress.rs)"
          else if (n ~ /kenshu_exercises_ui::(table|choice|classify|worksheet)/) b = "app: the kinds (table, choice, …)"
          else if (n ~ /kenshu_exercises_ui::json/) b = "app: json.rs"
          else if (n ~ /kenshu_exercises_ui::review/) b = "app: 復習 (review.rs)"
          else if (n ~ /kenshu_exercises_ui/) b = "app: lib, state, controls, storage"
          else if (n ~ /kenshu_exercises::/) b = "model (kenshu_exercises)"
          else if (n ~ /collections::btree/) b = "BTreeMap"
          else if (n ~ /indexmap|hashbrown|Classes/) b = "hashbrown, indexmap (yew attributes)"
          else if (n ~ /yew/) b = "yew"
          else if (n ~ /dlmalloc/) b = "allocator (dlmalloc)"
          else if (n ~ /slice::sort/) b = "sorting"
          else if (n ~ /fmt/) b = "core::fmt"
          else if (n ~ /wasm_bindgen|js_sys|web_sys|__wbg|__wbindgen/) b = "wasm-bindgen, js-sys, web-sys"
          else if (n ~ /core|alloc|std/) b = "core, alloc, std (other)"
          else b = "other"
          sum[b] += size; total += size
        }
        END {
          for (b in sum) printf "%d\t  %-36s %8d B %5.1f %% %7d B gzip\n", sum[b], b, sum[b], 100 * sum[b] / total, gz * sum[b] / total | "sort -rn | cut -f2-"
          close("sort -rn | cut -f2-")
          printf "  %-36s %8d B\n", "total", total
        }'
  fi
fi
if [ "$wasm_gz" -gt "$budget" ] || [ "$review_gz" -gt "$budget" ]; then
  echo "OVER BUDGET" >&2
  status=1
fi
exit $status

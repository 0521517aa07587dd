#!/usr/bin/env bash
# Search benchmark (#17): generates Japanese sites of 1,000 and 10,000 pages
# with bench/gen-site.sh, varies their text with sentences of the course (so
# the pages do not all say the same thing) and English keywords, builds them,
# and runs 20 queries in Chromium. Prints, per site: build time, the time the
# search index takes of it, the index's size (files, raw, gzip), and per query
# the bytes fetched (gzip-equivalent: what a server with compression sends),
# the number of results and the time to results.
#
#   bash bench/search.sh [PAGES…]          # default: 1000 10000
#   KENSHU_BIN=path/to/kenshu bash bench/search.sh …  # an existing binary (e.g.
#                                         # an older build, for before/after figures)
#   PAGEFIND=1 bash bench/search.sh …     # also Pagefind on the same sites (npm i
#                                         # pagefind; PAGEFIND_DIR=dir reuses an install)
#
# Needs chromium and chromedriver (as the browser tests do).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
work=${KENSHU_BENCH_DIR:-$(mktemp -d)}
[ -n "${KENSHU_BENCH_DIR:-}" ] || trap 'rm -rf "$work"' EXIT
if [ -n "${KENSHU_BIN:-}" ]; then
  bin=$KENSHU_BIN
else
  cargo build --release -q -p kenshu --manifest-path "$root/Cargo.toml"
  bin="$root/target/release/kenshu"
fi

# Plain Japanese sentences of the course, one a line.
pool="$work/pool.txt"
find "$root/content" -name '*.md' -print0 | sort -z | xargs -0 cat |
  grep -v -E '^\s*([#|>{+*-]|[0-9]+\.|<|$)' | grep -P '[\p{Han}\p{Hiragana}\p{Katakana}]' |
  grep -v -E '\[|\]|\(|\)|`|=' | awk 'length($0) > 15' >"$pool"
words=(coordination liaison collaboration assessment conference network advocacy
  outreach referral casework supervision teamwork mediation empowerment wellbeing
  inclusion resilience consultation facilitation partnership)

for pages in "${sizes[@]}"; do
  site="$work/site-$pages"
  rm -rf "$site"
  bash "$root/bench/gen-site.sh" "$site" "$pages" >/dev/null
  # Vary every page: after each "## 見出しN" paragraph, four sentences of the
  # pool and two English keywords, chosen by a generator seeded by the file.
  n=0
  find "$site/content" -name '*-page*.md' | sort | while read -r f; do
    n=$((n + 1))
    awk -v seed="$n" -v words="${words[*]}" -v pool="$pool" '
      BEGIN { while ((getline l < pool) > 0) s[c++] = l; split(words, w, " "); x = seed * 7919 + 13 }
      function r(m) { x = (x * 1103515245 + 12345) % 2147483648; return int(x / 65536) % m }
      { print }
      /^## / { getline; print; print ""; for (i = 0; i < 4; i++) printf "%s", s[r(c)]; print "";
               print ""; print "Keywords: " w[1 + r(20)] " and " w[1 + r(20)] "." }
    ' "$f" >"$f.tmp" && mv "$f.tmp" "$f"
  done
  out="$site/public"
  best=""
  for i in 1 2 3; do
    line=$(KENSHU_TIMINGS=1 "$bin" build "$site" --out "$out" 2>&1 >/dev/null | grep '^timings:' || true)
    best="$line"
  done
  echo "== $pages pages"
  echo "build (warm, 3rd run): $best"
  idx="$out/assets/search"
  files=$(find "$idx" -type f | wc -l)
  raw=$(find "$idx" -type f -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
  gz=$(find "$idx" -type f -print0 | xargs -0 -n 200 sh -c 'for f; do gzip -c6 "$f" | wc -c; done' sh | awk '{s += $1} END {print s}')
  shards=$(find "$idx/shard" -type f | wc -l)
  echo "index: $files files ($shards shards), $((raw / 1024)) KB raw, $((gz / 1024)) KB gzip"
  KENSHU_BENCH_SITE="$out" cargo test -q --manifest-path "$root/Cargo.toml" -p kenshu-e2e --test search \
    -- --ignored --nocapture --exact bench_queries 2>&1 | grep -E '^(query|first|further|total|pagefind)' || true
  if [ -n "${PAGEFIND:-}" ]; then
    if [ -n "${PAGEFIND_DIR:-}" ]; then mkdir -p "$work/pf"; ln -sfn "$PAGEFIND_DIR/node_modules" "$work/pf/node_modules"; fi
    if [ ! -x "$work/pf/node_modules/.bin/pagefind" ]; then
      (mkdir -p "$work/pf" && cd "$work/pf" && npm i --silent pagefind >/dev/null 2>&1) || true
    fi
    if [ -x "$work/pf/node_modules/.bin/pagefind" ]; then
      t0=$(date +%s.%N)
      "$work/pf/node_modules/.bin/pagefind" --site "$out" --output-subdir pagefind >/dev/null
      t1=$(date +%s.%N)
      echo "pagefind index: $(echo "$t1 - $t0" | bc) s, $(find "$out/pagefind" -type f | wc -l) files, $(( $(du -sb "$out/pagefind" | cut -f1) / 1024 )) KB"
      KENSHU_BENCH_SITE="$out" KENSHU_BENCH_PAGEFIND=1 cargo test -q --manifest-path "$root/Cargo.toml" -p kenshu-e2e --test search \
        -- --ignored --nocapture --exact bench_queries 2>&1 | grep -E '^(query|first|further|total|pagefind)' || true
    else
      echo "pagefind: npm i pagefind failed here"
    fi
  fi
done

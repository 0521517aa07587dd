#!/usr/bin/env bash
# Pathological inputs: builds each case of issue #10 at two sizes and prints
# the wall time of `kenshu build`. Each should grow linearly with its size;
# targets on a 2-core machine: 10,000 classify items, 16,000 repeated
# headings and 100,000 headings with links each build in under 1 s.
#
#   bash bench/adversarial.sh [BIN]     (BIN: a kenshu binary; default: release build)
#
# A build still running after LIMIT seconds (default 120) is stopped and
# shown as "> LIMIT s".
set -euo pipefail
limit=${LIMIT:-120}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ $# -ge 1 ]; then
  bin=$1
else
  cargo build --release -q -p kenshu --manifest-path "$root/Cargo.toml"
  bin="$root/target/release/kenshu"
fi

new_site() { # DIR
  rm -rf "$1"
  mkdir -p "$1/content"
  printf 'title = "ベンチ"\n' > "$1/site.toml"
  printf '# ベンチ\n' > "$1/content/index.md"
}

time_build() { # LABEL DIR
  local rc=0 t
  # Wall and CPU (user + system) time: on a busy machine CPU time is the
  # fairer figure.
  t=$( { TIMEFORMAT='%R %U %S'; time timeout "$limit" "$bin" build "$2" --out "$work/out" \
        >/dev/null 2>"$work/err" || echo "rc=$?" >"$work/rc"; } 2>&1 )
  [ -f "$work/rc" ] && { rc=$(cut -d= -f2 "$work/rc"); rm -f "$work/rc"; }
  read -r wall user sys <<<"$t"
  local cpu
  cpu=$(echo "$user + $sys" | bc)
  if [ "$rc" = 124 ]; then
    printf '%-44s   > %s s wall  (stopped)\n' "$1" "$limit"
  elif [ "$rc" != 0 ]; then
    printf '%-44s %7.2f s wall %7.2f s CPU  FAILED: %s\n' "$1" "$wall" "$cpu" "$(head -c 200 "$work/err")"
  else
    printf '%-44s %7.2f s wall %7.2f s CPU\n' "$1" "$wall" "$cpu"
  fi
}

classify() { # ITEMS CATEGORIES
  local d="$work/classify" i c
  new_site "$d"
  {
    printf 'id = "big"\nkind = "classify"\ntitle = "大きな演習"\ncategories = [\n'
    for c in $(seq 1 "$2"); do printf '  { id = "c%d", name = "分類%d" },\n' "$c" "$c"; done
    printf ']\n'
    for i in $(seq 1 "$1"); do
      printf '[[items]]\nid = "i%d"\ntext = "項目%d"\nanswer = "c%d"\nexplanation = "解説%d"\n' \
        "$i" "$i" $(( i % $2 + 1 )) "$i"
    done
  } > "$d/content/big.toml"
  printf '# 演習\n\n{{#exercise big}}\n\n{{#exercise-key}}\n' > "$d/content/ex.md"
  time_build "classify: $1 items × $2 categories" "$d"
}

repeated_headings() { # N
  local d="$work/headings"
  new_site "$d"
  awk -v n="$1" 'BEGIN { print "# 同じ見出し"; for (i = 0; i < n; i++) printf "## Same\n\ntext\n\n" }' \
    > "$d/content/same.md"
  time_build "repeated headings: $1 × \`## Same\`" "$d"
}

headings_with_links() { # N
  local d="$work/links"
  new_site "$d"
  awk -v n="$1" 'BEGIN { print "# 見出し"; for (i = 0; i < n; i++) printf "## h%d\n\n[→](#h%d)\n\n", i, n - 1 - i }' \
    > "$d/content/links.md"
  time_build "headings with links: $1" "$d"
}

echo "kenshu: $bin"
classify 2000 2
classify 10000 200
repeated_headings 4000
repeated_headings 16000
headings_with_links 10000
headings_with_links 100000

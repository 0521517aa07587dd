#!/usr/bin/env bash
# Pathological inputs: builds each case of issues #10 and #23 and prints
# the wall time, CPU time and peak memory of `kenshu build`. Each should
# grow linearly with its size; targets on a 2-core machine: 10,000 classify
# items, 16,000 repeated headings, 100,000 headings with links, 100,000
# `&amp; `, 20,000 broken links, 20,000 unknown front-matter keys, 20,000
# shortcodes, 40,000 footnotes and a 20 MB include each build (or fail, for
# the broken links) in under 1 s; a 4 MB code block in under 3 s and 400 MiB.
# Peak memory needs GNU time (/usr/bin/time; Debian: apt-get install time).
#
#   bash bench/adversarial.sh [BIN]     (BIN: a kenshu binary; default: release build)
#   ONLY='footnotes|code' bash bench/adversarial.sh   (only the cases whose name matches)
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

time_build() { # LABEL DIR [EXPECTED_EXIT_STATUS]
  local rc=0 t expect=${3:-0}
  # Wall and CPU (user + system) time: on a busy machine CPU time is the
  # fairer figure. Peak memory (maximum resident set size) from GNU time.
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%e %U %S %M' -o "$work/time" timeout "$limit" "$bin" build "$2" \
      --out "$work/out" >/dev/null 2>"$work/err" || rc=$?
    t=$(tail -n 1 "$work/time")
  else
    t=$( { TIMEFORMAT='%R %U %S'; time timeout "$limit" "$bin" build "$2" --out "$work/out" \
          >/dev/null 2>"$work/err" || echo "rc=$?" >"$work/rc"; } 2>&1 )
    [ -f "$work/rc" ] && { rc=$(cut -d= -f2 "$work/rc"); rm -f "$work/rc"; }
  fi
  local wall user sys kib mem=""
  read -r wall user sys kib <<<"$t"
  [ -n "${kib:-}" ] && mem=$(printf '%7.0f MiB peak' "$(echo "$kib / 1024" | bc -l)")
  local cpu
  cpu=$(echo "$user + $sys" | bc)
  if [ "$rc" = 124 ]; then
    printf '%-48s   > %s s wall  (stopped)\n' "$1" "$limit"
  elif [ "$rc" != "$expect" ]; then
    printf '%-48s %7.2f s wall %7.2f s CPU %s  FAILED (exit %s): %s\n' "$1" "$wall" "$cpu" \
      "$mem" "$rc" "$(head -c 200 "$work/err")"
  else
    printf '%-48s %7.2f s wall %7.2f s CPU %s\n' "$1" "$wall" "$cpu" "$mem"
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

# A site whose page PAGE is what the awk PROGRAM prints in its BEGIN block
# (with n = N), built and timed as LABEL.
awk_page() { # LABEL PAGE N PROGRAM [EXPECTED_EXIT_STATUS]
  local d="$work/${2%.md}"
  new_site "$d"
  awk -v n="$3" "BEGIN { $4 }" > "$d/content/$2"
  time_build "$1" "$d" "${5:-0}"
}

repeated_headings() { # N
  awk_page "repeated headings: $1 × \`## Same\`" same.md "$1" \
    'print "# 同じ見出し"; for (i = 0; i < n; i++) printf "## Same\n\ntext\n\n"'
}

headings_with_links() { # N
  awk_page "headings with links: $1" links.md "$1" \
    'print "# 見出し"; for (i = 0; i < n; i++) printf "## h%d\n\n[→](#h%d)\n\n", i, n - 1 - i'
}

# One paragraph of N `&amp; ` (N + 1 text events to merge).
entities() { # N
  awk_page "entities: $1 × \`&amp; \`" amp.md "$1" \
    'print "# 実体参照"; print ""; for (i = 0; i < n; i++) printf "&amp; "; print ""'
}

# N links to pages that do not exist, one per line: N errors (exit 1).
broken_links() { # N
  awk_page "broken links: $1 (exit 1)" broken.md "$1" \
    'print "# 壊れたリンク"; for (i = 0; i < n; i++) printf "\n[x%d](missing-%d.md)\n", i, i' 1
}

# N front-matter keys kenshu does not use: in TOML N errors (exit 1), in
# YAML N warnings.
unknown_keys() { # N toml|yaml
  if [ "$2" = toml ]; then
    awk_page "unknown front-matter keys: $1 TOML (exit 1)" keys.md "$1" \
      'print "+++"; print "title = \"鍵\""; for (i = 0; i < n; i++) printf "k%d = %d\n", i, i; print "+++"; print "# 鍵"' 1
  else
    awk_page "unknown front-matter keys: $1 YAML" keys.md "$1" \
      'print "---"; print "title: 鍵"; for (i = 0; i < n; i++) printf "k%d: %d\n", i, i; print "---"; print "# 鍵"'
  fi
}

# N other tools' shortcodes in text: N warnings.
shortcodes() { # N
  awk_page "shortcodes: $1" sc.md "$1" \
    'print "# ショートコード"; for (i = 0; i < n; i++) printf "\n{{< note %d >}}\n", i'
}

# N footnote references, each with its definition.
footnotes() { # N
  awk_page "footnotes: $1" fn.md "$1" \
    'print "# 脚注"; for (i = 0; i < n; i++) printf "\n本文[^n%d]\n", i;
     for (i = 0; i < n; i++) printf "\n[^n%d]: 注%d\n", i, i'
}

# One Rust code block of about MB megabytes.
code_block() { # MB
  local d="$work/code"
  new_site "$d"
  {
    printf '# コード\n\n```rust\n'
    rust_lines "$1"
    printf '```\n'
  } > "$d/content/code.md"
  time_build "code block: $1 MB of Rust" "$d"
}

# A Rust file of about MB megabytes, included into a code block.
code_include() { # MB
  local d="$work/include"
  new_site "$d"
  rust_lines "$1" > "$d/content/big.rs"
  printf '# インクルード\n\n```rust\n{{#include big.rs}}\n```\n' > "$d/content/inc.md"
  time_build "include: $1 MB of Rust" "$d"
}

run() { # CASE ARGS…: the case, unless ONLY leaves it out
  if [[ -z "${ONLY:-}" || "$1" =~ $ONLY ]]; then "$@"; fi
}

rust_lines() { # MB: about MB megabytes of Rust, 64 bytes a line
  awk -v n="$(( $1 * 1024 * 1024 / 64 ))" \
    'BEGIN { for (i = 0; i < n; i++) printf "    let value_%08d = compute(\"text\", %08d) + 1; // cccc\n", i, i }'
}

echo "kenshu: $bin"
run classify 2000 2
run classify 10000 200
run repeated_headings 4000
run repeated_headings 16000
run headings_with_links 10000
run headings_with_links 100000
run entities 100000
run broken_links 20000
run unknown_keys 20000 toml
run unknown_keys 20000 yaml
run shortcodes 20000
run footnotes 40000
run code_block 4
run code_include 20

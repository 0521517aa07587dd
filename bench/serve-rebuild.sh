#!/usr/bin/env bash
# Save-to-served benchmark for `kenshu serve` on a generated site.
#
#   bash bench/serve-rebuild.sh [PAGES] [EDITS]     (defaults: 1000 pages, 20 edits)
#   KENSHU_BIN=/path/to/kenshu bash bench/serve-rebuild.sh 1000 10
#
# KENSHU_BIN times a kenshu built elsewhere (say, before and after a change,
# run one after the other on the same machine); without it the script
# builds this tree's release binary.
#
# Generates a site (bench/gen-site.sh), starts `kenshu serve --port 0`,
# listens to the live-reload event stream with curl, then edits pages and
# measures, for each edit:
#   save→event   wall time from just before the file is written until the
#                reload event reaches the stream client (what a browser tab
#                waits for; includes the file system's notice);
#   save→last event  the same until the last reload event of that edit
#                (a new title: the other pages, whose navigation shows it,
#                follow the edited page);
#   server       the server's own figure: first file-system event → reload
#                event sent (batching + load + render), from its log lines.
# Six kinds of edit to one page: a paragraph (the common case); the
# description (the page and the index that lists it); the title (the
# navigation of every page changes: the edited page is served first, then the
# others); a new heading; a link that another page of the folder has too
# (its target is known); a link to a page nothing in the folder links to
# (the full load runs before anything is served).
set -euo pipefail
pages=${1:-1000}
edits=${2:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
server=""
events=""
cleanup() {
  [ -n "$events" ] && kill "$events" 2>/dev/null || true
  [ -n "$server" ] && kill -INT "$server" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if [ -n "${KENSHU_BIN:-}" ]; then
  bin=$KENSHU_BIN
else
  cargo build --release -q -p kenshu --manifest-path "$root/Cargo.toml"
  bin="$root/target/release/kenshu"
fi
bash "$root/bench/gen-site.sh" "$work/site" "$pages" >/dev/null
echo "site: $(find "$work/site/content" -name '*.md' | wc -l) pages; $(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg)"

"$bin" serve "$work/site" --port 0 >"$work/serve.out" 2>"$work/serve.err" &
server=$!
for _ in $(seq 1 600); do
  grep -q 'http://' "$work/serve.out" 2>/dev/null && break
  sleep 0.05
done
url=$(grep -o 'http://[^ ]*' "$work/serve.out")
echo "$(head -1 "$work/serve.out")"

# Timestamp every event as it arrives (ns since the epoch).
curl -sN "${url}__kenshu/events" | while IFS= read -r line; do
  case $line in
    data:*) printf '%s %s\n' "$(date +%s%N)" "$line" ;;
  esac
done >"$work/events.log" &
events=$!
for _ in $(seq 1 200); do
  [ -s "$work/events.log" ] && break
  sleep 0.01
done
version() { tail -1 "$work/events.log" | grep -o '"version":[0-9]*' | cut -d: -f2; }

page="$work/site/content/05-part5/050-page50.md"
[ -f "$page" ] || page=$(find "$work/site/content" -name '*-page*.md' | sort | sed -n '1p')
rel=${page#"$work/site/"}

# One edit: $1 = kind, $2 = i. Prints "save→event ms" and checks the page.
edit() {
  local kind=$1 i=$2 before after t0 t1 line
  before=$(version)
  t0=$(date +%s%N)
  case $kind in
    body) printf '\n追記した段落 BENCH-%s。\n' "$i" >>"$page" ;;
    heading) printf '\n## 新しい節 BENCH-%s\n' "$i" >>"$page" ;;
    link)
      local n=$(( ${i#link} + 10 ))
      printf '\n[新しいリンク BENCH-%s](%03d-page%d.md)\n' "$i" "$n" "$n" >>"$page" ;;
    knownlink)
      local k=$(( 50 - ${i#knownlink} ))
      printf '\n[前の節 BENCH-%s](%03d-page%d.md#見出し1)\n' "$i" "$k" "$k" >>"$page" ;;
    title) sed -i "0,/^title = .*/s//title = \"改題 BENCH-$i\"/" "$page" ;;
    description) sed -i "0,/^description = .*/s//description = \"説明 BENCH-$i\"/" "$page" ;;
  esac
  for _ in $(seq 1 5000); do
    after=$(version)
    [ "$after" != "$before" ] && break
    sleep 0.002
  done
  [ "$after" != "$before" ] || { echo "no event after edit $kind $i" >&2; exit 1; }
  t1=$(tail -1 "$work/events.log" | cut -d' ' -f1)
  local out=${rel#content/}
  out=$(echo "$out" | sed -E 's#(^|/)[0-9]+[-_]([^/]*)$#\1\2#; s#\.md$#.html#')
  curl -s "${url}${out}" >"$work/page.html"
  grep -q "BENCH-$i" "$work/page.html" || {
    echo "served page lacks BENCH-$i" >&2
    tail -n 3 "$work/events.log" "$work/serve.out" >&2
    exit 1
  }
  # The time until the last event of this edit: for a new title, the
  # other pages (navigation) follow the edited one.
  sleep 1.5
  t2=$(tail -1 "$work/events.log" | cut -d' ' -f1)
  echo $(( (t1 - t0) / 1000 )) $(( (t2 - t0) / 1000 ))
}

stats() { # microseconds on stdin → "median X ms, min Y, max Z (n)"
  sort -n | awk '{a[NR]=$1} END {printf "median %.1f ms, min %.1f, max %.1f (n=%d)", a[int((NR+1)/2)]/1000, a[1]/1000, a[NR]/1000, NR}'
}

run() { # $1 kind, $2 count
  local kind=$1 n=$2 i
  : >"$work/$kind.us"
  local mark
  mark=$(wc -l <"$work/serve.out")
  for i in $(seq 1 "$n"); do
    edit "$kind" "$kind$i" >>"$work/$kind.us"
  done
  printf '%-12s save→event: %s\n' "$kind" "$(cut -d' ' -f1 "$work/$kind.us" | stats)"
  printf '%-12s save→last event: %s\n' "$kind" "$(cut -d' ' -f2 "$work/$kind.us" | stats)"
  tail -n +"$((mark + 1))" "$work/serve.out" | grep 'rebuilt after' |
    sed -E 's/.* in ([0-9.]+) ms: ([0-9]+) pages? rendered.*load ([0-9.]+) ms, render ([0-9.]+) ms, batching ([0-9.]+) ms.*/\1 \2 \3 \4 \5/' \
      >"$work/$kind.server"
  local total
  total=$(cut -d' ' -f1 "$work/$kind.server" | awk '{print $1 * 1000}' | stats)
  awk -v k="$kind" -v t="$total" '{r+=$2; l+=$3; re+=$4; b+=$5} END {
      printf "%-12s server: %s; mean load %.1f ms, render %.1f ms, batching %.1f ms; %.0f pages rendered per edit\n",
      k, t, l/NR, re/NR, b/NR, r/NR}' "$work/$kind.server"
}

run body "$edits"
run description $(( (edits + 1) / 2 ))
run title $(( (edits + 3) / 4 ))
run heading $(( (edits + 3) / 4 ))
run knownlink $(( (edits + 3) / 4 ))
run link $(( (edits + 3) / 4 ))

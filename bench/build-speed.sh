#!/usr/bin/env bash
# Build-speed benchmark: generates a site of N pages (default 1000) in 20
# sections with Japanese text, links, headings and tables, then times
# `kenshu build` (cold and warm runs) and reports output size.
#
#   bash bench/build-speed.sh [PAGES]
set -euo pipefail
pages=${1:-1000}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release -q -p kenshu --manifest-path "$root/Cargo.toml"
bin="$root/target/release/kenshu"

mkdir -p "$work/site/content"
printf 'title = "ベンチマーク"\n' > "$work/site/site.toml"
printf '# ベンチマーク\n\nこれは速度計測用のサイトです。\n' > "$work/site/content/index.md"
sections=20
per=$(( (pages + sections - 1) / sections ))
n=0
for s in $(seq -w 1 $sections); do
  mkdir -p "$work/site/content/$s-section"
  printf '# 第%s章\n' "$s" > "$work/site/content/$s-section/index.md"
  for p in $(seq -w 1 $per); do
    [ $n -ge "$pages" ] && break
    n=$((n + 1))
    next=$(printf '%02d' $(( 10#$p % per + 1 )))
    cat > "$work/site/content/$s-section/$p-p$p.md" <<MD
+++
title = "第${s}章 第${p}節：連携のあり方"
+++

# 第${s}章 第${p}節：連携のあり方

## 「連携」と「協働」

**「連携」**というキーワードは頻繁に使われる言葉です。
しかし、その概念は多義的で、様々な場面で使われています。

| 項目 | ポイント |
|---|---|
| 会議体の機能 | プランの適切性協議 |
| ベクトル合わせ | 顔合わせ・波長合わせ・呼吸合わせ |

## まとめ

[次の節]($next-p$next.md#まとめ)

> [!NOTE]
> 個別支援の観点から連携を整理します。
MD
  done
done

echo "site: $n pages in $sections sections"
run() { local t0 t1; t0=$(date +%s.%N); "$bin" build "$work/site" --out "$work/out" >/dev/null; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }
echo "cold build: $(run) s"
for i in 1 2 3; do echo "warm build $i: $(run) s"; done
echo "output: $(du -sh "$work/out" | cut -f1), $(find "$work/out" -type f | wc -l) files"

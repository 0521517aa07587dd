#!/usr/bin/env bash
# Generates a site of N pages (default 1000) in DIR for benchmarks:
#   bash bench/gen-site.sh DIR [N]
# 10 sections; every page has front matter, headings, Japanese paragraphs,
# a table, an admonition, speaker notes and links to its neighbours.
set -euo pipefail
dir=${1:?usage: gen-site.sh DIR [PAGES]}
pages=${2:-1000}
sections=10
regular=$(( pages - 1 - sections ))   # pages that are not an index page
mkdir -p "$dir/content"
cat >"$dir/site.toml" <<TOML
title = "ベンチマーク講座"
description = "kenshu serve の再構築時間を測るための生成サイト"
organisation = "bench"
TOML
cat >"$dir/content/index.md" <<MD
# ベンチマーク講座

このサイトは生成されたものです。[最初の章](01-part1/index.md)から始めてください。
MD
for s in $(seq 1 $sections); do
  sd=$(printf '%02d-part%d' "$s" "$s")
  mkdir -p "$dir/content/$sd"
  {
    printf '+++\ntitle = "第%d部"\ndescription = "第%d部の概要"\n+++\n\n' "$s" "$s"
    printf '第%d部の概要です。\n' "$s"
  } >"$dir/content/$sd/index.md"
  per=$(( regular / sections + (s <= regular % sections ? 1 : 0) + 1 ))
  for p in $(seq 1 $((per - 1))); do
    f=$(printf '%03d-page%d.md' "$p" "$p")
    next=$(printf '%03d-page%d.md' $((p + 1)) $((p + 1)))
    {
      printf '+++\ntitle = "第%d部 第%d節"\ndescription = "ページ %d-%d"\n+++\n\n' "$s" "$p" "$s" "$p"
      printf '# 第%d部 第%d節\n\n' "$s" "$p"
      for h in 1 2 3; do
        printf '## 見出し%d\n\n' "$h"
        printf '連携とは、異なる専門職や機関が共通の目的に向かって\n協力することをいいます。本節では事例を通して\n考えます。**重要な点**は、情報の共有と役割の明確化です。\n\n'
        printf -- '- 項目一\n- 項目二\n- 項目三\n\n'
        printf '### 小見出し%d\n\n| 観点 | 内容 |\n|---|---|\n| 目的 | 共有 |\n| 方法 | 会議 |\n\n' "$h"
      done
      printf '> [!NOTE]\n> 補足の説明です。\n\n'
      printf '> [!講師メモ]\n> ここで質問を受けます。\n\n'
      if [ "$p" -lt $((per - 1)) ]; then
        printf '次は[次の節](%s#見出し1)です。[目次](index.md)\n' "$next"
      else
        printf '[目次](index.md)へ戻る。\n'
      fi
    } >"$dir/content/$sd/$f"
  done
done
echo "generated $(find "$dir/content" -name '*.md' | wc -l) pages in $dir"

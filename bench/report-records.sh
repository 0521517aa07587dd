#!/usr/bin/env bash
# The 集計 page and `kenshu report` on many records: builds the course,
# generates N trainees' 学習の記録 files (JSON, answers drawn at random from
# each item's options, some 自信あり) and times
#   - the page's script (theme/static/report.js) parsing and aggregating
#     them, in Node (V8, Chromium's engine; the DOM rendering is not timed),
#   - `kenshu report` on the folder (wall time, HTML written).
# Target: ≤ 1 s for 1,000 records.
#
#   bash bench/report-records.sh [N]        (default 1000; needs node)
#   KENSHU=path/to/kenshu bash bench/report-records.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-1000}
kenshu=${KENSHU:-$root/target/release/kenshu}
[ -x "$kenshu" ] || cargo build --release -q -p kenshu --manifest-path "$root/Cargo.toml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$kenshu" build "$root" --out "$tmp/site" -q
mkdir "$tmp/records"
node - "$tmp/site/lecturer/shukei.html" "$tmp/records" "$n" "$root/theme/static/report.js" <<'JS'
const fs = require("fs");
const [page, dir, n, script] = process.argv.slice(2);
const html = fs.readFileSync(page, "utf8");
const json = /<script type="application\/json" class="kr-data">([\s\S]*?)<\/script>/.exec(html)[1];
const site = JSON.parse(json);
let seed = 12345;
const rand = (k) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % k);
for (let t = 0; t < +n; t++) {
  const exercises = site.exercises.map((ex) => {
    const values = {}, confidence = {};
    for (const item of ex.items) {
      if (!item.options.length || rand(10) === 0) continue;
      values[item.id] = rand(3) === 0 ? item.answer.join(",") : item.options[rand(item.options.length)][0];
      if (rand(4) === 0) confidence[item.id] = "sure";
    }
    return { id: ex.id, version: ex.version, values, confidence };
  });
  const rec = { site: site.title, site_id: site.id, name: "受講者" + t, date: "2026-12-07", exercises };
  fs.writeFileSync(`${dir}/r${String(t).padStart(5, "0")}.json`, JSON.stringify(rec));
}
// The page's script with a stub DOM.
const stub = () => ({ getAttribute: () => null, setAttribute() {}, appendChild() {}, addEventListener() {}, classList: { add() {}, remove() {} } });
const host = Object.assign(stub(), { querySelector: () => ({ textContent: json }) });
globalThis.window = globalThis;
globalThis.document = { querySelector: () => host, createElement: stub, createTextNode: () => ({}) };
eval(fs.readFileSync(script, "utf8"));
const files = fs.readdirSync(dir).sort();
const texts = files.map((f) => fs.readFileSync(`${dir}/${f}`, "utf8"));
const t0 = process.hrtime.bigint();
const recs = texts.map((t, i) => window.kenshuReport.parseRecord(files[i], t));
const report = window.kenshuReport.aggregate(recs);
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(`report.js: ${recs.length} records (${report.trainees.length} counted) parsed and aggregated in ${ms.toFixed(1)} ms`);
JS
start=$(date +%s.%N)
"$kenshu" report "$tmp/records" --site "$root" -o "$tmp/report.html" -q
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v n="$n" -v b="$(wc -c < "$tmp/report.html")" \
  'BEGIN { printf "kenshu report: %d records in %.0f ms (load the site, read, aggregate, write %d bytes)\n", n, (e - s) * 1000, b }'

#!/usr/bin/env bash
# The 集計 page and `kenshu report` on many records: builds the course,
# generates N trainees' 学習の記録 files (JSON, answers drawn at random from
# each item's options, some 自信あり) and times
#   - the 集計 page (lecturer/shukei.html) in headless Chromium, from
#     file://: the N files picked in its file input, from the input's
#     change event until the summary is on the page and laid out (reading
#     the files, parsing, aggregating, building the tables); the median of
#     3 fresh loads,
#   - the page's script (theme/static/report.js) parsing and aggregating
#     them in Node (V8, Chromium's engine; no DOM),
#   - `kenshu report` on the folder (wall time, HTML written).
# Target: ≤ 1 s for 1,000 records in the browser.
#
#   bash bench/report-records.sh [N]        (default 1000; needs node,
#                                             chromium and chromedriver)
#   KENSHU=path/to/kenshu bash bench/report-records.sh
#   CHROMIUM=/usr/bin/chromium CHROMEDRIVER=/usr/bin/chromedriver bash bench/report-records.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-1000}
kenshu=${KENSHU:-$root/target/release/kenshu}
[ -x "$kenshu" ] || cargo build --release -q -p kenshu --manifest-path "$root/Cargo.toml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Timings scale with what else the machine runs: say how busy it was.
echo "load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?) on $(nproc 2>/dev/null || echo ?) cores"
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
node - "$tmp/site/lecturer/shukei.html" "$tmp/records" "${CHROMIUM:-/usr/bin/chromium}" "${CHROMEDRIVER:-/usr/bin/chromedriver}" "$tmp/profile" <<'JS'
// The 集計 page in headless Chromium through chromedriver (WebDriver over
// HTTP, with Node's fetch): pick every record in the file input and time,
// inside the page, from the input's change event to the summary laid out.
const fs = require("fs");
const { spawn } = require("child_process");
const [page, dir, chromium, driverBin, profile] = process.argv.slice(2);
const port = 20000 + Math.floor(Math.random() * 20000);
const driver = spawn(driverBin, [`--port=${port}`], { stdio: "ignore" });
const base = `http://127.0.0.1:${port}`;
const call = async (method, path, body) => {
  const r = await fetch(base + path, { method, headers: { "content-type": "application/json" }, body: body && JSON.stringify(body) });
  const v = await r.json();
  if (v.value && v.value.error) throw new Error(`${path}: ${v.value.error}: ${v.value.message}`);
  return v.value;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
(async () => {
  for (let i = 0; ; i++) {
    try {
      if ((await call("GET", "/status")).ready) break;
    } catch (e) {
      if (i > 300) throw new Error(`chromedriver (${driverBin}) did not start: ${e.message}`);
    }
    await sleep(50);
  }
  const args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage", "--window-size=1280,900", `--user-data-dir=${profile}`];
  const session = await call("POST", "/session", {
    capabilities: { alwaysMatch: { browserName: "chrome", timeouts: { script: 120000 }, "goog:chromeOptions": { binary: chromium, args } } },
  });
  const s = `/session/${session.sessionId}`;
  const files = fs.readdirSync(dir).sort().map((f) => `${dir}/${f}`);
  const runs = [];
  try {
    for (let run = 0; run < 3; run++) {
      await call("POST", `${s}/url`, { url: "file://" + page });
      await call("POST", `${s}/execute/sync`, {
        script: `
          const host = document.querySelector("[data-kenshu-report]");
          window.__bench = new Promise((done) => {
            let t0 = 0;
            // Capture on window runs before the page's own change listener.
            window.addEventListener("change", () => { t0 = performance.now(); }, { capture: true, once: true });
            new MutationObserver((_, obs) => {
              if (!host.hasAttribute("data-loaded")) return;
              obs.disconnect();
              const t1 = performance.now();
              void document.body.offsetHeight; // style and layout of the summary
              const at = (m) => {
                const e = performance.getEntriesByName("kenshu-report:" + m).pop();
                return e ? e.startTime - t0 : NaN;
              };
              done({ loaded: t1 - t0, laid_out: performance.now() - t0, read: at("read"), aggregated: at("aggregated"), shown: at("shown"), counted: host.querySelector("[data-count=included]").textContent });
            }).observe(host, { attributes: true });
          });`,
        args: [],
      });
      const input = await call("POST", `${s}/element`, { using: "css selector", value: "#kr-files" });
      const id = input["element-6066-11e4-a52e-4f735466cecf"];
      await call("POST", `${s}/element/${id}/value`, { text: files.join("\n") });
      const t = await call("POST", `${s}/execute/async`, { script: "window.__bench.then(arguments[arguments.length - 1]);", args: [] });
      runs.push(t);
    }
  } finally {
    await call("DELETE", s).catch(() => {});
    driver.kill();
  }
  const ms = runs.map((r) => r.laid_out).sort((a, b) => a - b);
  // Where the median run spent its time (the page's performance marks).
  const m = runs.find((r) => r.laid_out === ms[1]);
  const phase = (a, b) => (b - a).toFixed(0);
  console.log(
    `集計 page (Chromium, file://): ${files.length} records picked → ${runs[0].counted} counted, summary laid out in ` +
      `${ms[1].toFixed(0)} ms (median of ${ms.map((m) => m.toFixed(0)).join(", ")} ms)`,
  );
  console.log(
    `  median run: files read and parsed ${phase(0, m.read)} ms, aggregated ${phase(m.read, m.aggregated)} ms, ` +
      `tables built ${phase(m.aggregated, m.shown)} ms, style and layout ${phase(m.shown, m.laid_out)} ms`,
  );
})().catch((e) => {
  driver.kill();
  console.error(`error: ${e.message}`);
  process.exit(1);
});
JS
start=$(date +%s.%N)
"$kenshu" report "$tmp/records" --site "$root" -o "$tmp/report.html" -q
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v n="$n" -v b="$(wc -c < "$tmp/report.html")" \
  'BEGIN { printf "kenshu report: %d records in %.0f ms (load the site, read, aggregate, write %d bytes)\n", n, (e - s) * 1000, b }'

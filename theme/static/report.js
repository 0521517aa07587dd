// 集計 (class results) of the lecturers' area: reads the trainees' 学習の記録
// files (JSON or CSV as the progress page downloads them, or the
// cmi.suspend_data a SCORM package's runtime stored in an LMS, saved as a
// .txt file), picked or
// dropped, entirely in the browser: nothing is uploaded, and it works from
// file:// too. It mirrors generator/src/report.rs (`kenshu report`) rule for
// rule, so both give the same figures; keep them in step. All text goes in
// with textContent, never as HTML.
(function () {
  "use strict";
  var host = document.querySelector("[data-kenshu-report]");
  if (!host) return;
  var dataEl = host.querySelector(".kr-data");
  var site;
  try {
    site = JSON.parse(dataEl.textContent);
  } catch (e) {
    return;
  }
  var MAX_BYTES = 5 * 1024 * 1024;
  var root = host.getAttribute("data-root") || "";
  var keyHref = host.getAttribute("data-key") || "";
  // A page's output path as a relative URL (each segment percent-encoded).
  function pageUrl(p) {
    return p.split("/").map(encodeURIComponent).join("/");
  }
  var exById = new Map(site.exercises.map(function (e) { return [e.id, e]; }));
  // The site id of a record from suspend_data (which names none): counted
  // as this site's.
  var SAME_SITE = "\u0000same-site";
  var NOT_A_RECORD =
    "not a 学習の記録: expected the JSON or CSV that 学習の記録's download buttons save";

  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    (kids || []).forEach(function (c) {
      e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return e;
  }

  function chosen(v) {
    return v.split(",").filter(function (s) {
      return s !== "";
    });
  }

  // A JSON object of strings → a Map; null when it is something else.
  // (A Map, not an object: ids such as "__proto__" or "constructor" in a
  // hostile file are plain keys, as in the Rust side's maps, and Maps stay
  // fast where prototype-free objects would not.)
  function mapOf(v) {
    var out = new Map();
    if (v === undefined || v === null) return out;
    if (typeof v !== "object" || Array.isArray(v)) return null;
    var keys = Object.keys(v);
    for (var i = 0; i < keys.length; i++) {
      var x = v[keys[i]];
      if (typeof x !== "string") return null;
      out.set(keys[i], x);
    }
    return out;
  }
  function str(v, k) {
    return v && typeof v[k] === "string" ? v[k] : "";
  }

  function parseJson(file, body) {
    var v;
    try {
      v = JSON.parse(body);
    } catch (e) {
      var m = /position (\d+)/.exec(String(e.message));
      // Engines name the position, or say the input ended (the last line).
      var line = m
        ? body.slice(0, +m[1]).split("\n").length
        : /end of (JSON )?input/i.test(String(e.message))
          ? body.split("\n").length
          : 1;
      throw file + ":" + line + ": not valid JSON: " + e.message;
    }
    if (isState(v)) return parseState(file, v);
    if (!v || !Array.isArray(v.exercises))
      throw file + ":1: " + NOT_A_RECORD + ' (no "exercises" list)';
    var rec = { file: file, name: str(v, "name"), date: str(v, "date"), site_id: str(v, "site_id"), exercises: new Map(), best: new Map() };
    v.exercises.forEach(function (e, i) {
      var line = i + 2;
      var id = str(e, "id");
      if (!id) throw file + ":" + line + ": exercise " + (i + 1) + ' has no "id"';
      var values = mapOf(e.values), conf = mapOf(e.confidence);
      if (!values || !conf)
        throw file + ":" + line + ": exercise " + id + ': "values" and "confidence" must be objects of strings';
      if (Number.isInteger(e.best) && e.best >= 0 && e.best <= 4294967295) rec.best.set(id, e.best);
      rec.exercises.set(id, { version: str(e, "version"), values: values, confidence: conf });
    });
    return rec;
  }

  // RFC 4180 records, each [line it starts on, fields]; throws the line of
  // an unclosed quote.
  function csvRecords(body) {
    var out = [], line = 1, start = 1, fields = [], field = "", quoted = false;
    for (var i = 0; i < body.length; i++) {
      var c = body[i];
      if (quoted) {
        if (c === '"' && body[i + 1] === '"') {
          field += '"';
          i++;
        } else if (c === '"') quoted = false;
        else {
          if (c === "\n") line++;
          field += c;
        }
        continue;
      }
      if (c === '"' && field === "") quoted = true;
      else if (c === ",") {
        fields.push(field);
        field = "";
      } else if (c === "\r") {
        // Dropped: in a CRLF line ending the "\n" ends the record.
      } else if (c === "\n") {
        fields.push(field);
        field = "";
        out.push([start, fields]);
        fields = [];
        line++;
        start = line;
      } else field += c;
    }
    if (quoted) throw { line: start };
    if (field !== "" || fields.length) {
      fields.push(field);
      out.push([start, fields]);
    }
    return out;
  }

  function parseCsv(file, body) {
    var rows;
    try {
      rows = csvRecords(body);
    } catch (e) {
      throw file + ":" + e.line + ": a quoted field is not closed (truncated file?)";
    }
    if (!rows.length) throw file + ":1: " + NOT_A_RECORD;
    var header = rows[0][1];
    var cols = ["演習ID", "名前", "記録日", "サイトID", "版", "解答データ"].map(function (n) {
      return header.indexOf(n);
    });
    if (cols.indexOf(-1) >= 0)
      throw file + ":1: the header lacks 名前, 記録日, サイトID, 版 or 解答データ: a record from an older kenshu, or not a 学習の記録; download it again from 学習の記録";
    var rec = { file: file, name: "", date: "", site_id: "", exercises: new Map(), best: new Map() };
    var bestCol = header.indexOf("最高得点");
    rows.slice(1).forEach(function (r) {
      var line = r[0], row = r[1];
      if (row.length === 1 && row[0] === "") return;
      var got = cols.map(function (c) {
        return row[c];
      });
      if (got.some(function (g) { return g === undefined; }))
        throw file + ":" + line + ": " + row.length + " fields where the header has " + header.length;
      var parsed;
      try {
        parsed = JSON.parse(got[5]);
      } catch (e) {
        throw file + ":" + line + ": 解答データ of " + got[0] + " is not valid JSON: " + e.message;
      }
      var values = mapOf(parsed && parsed.values), conf = mapOf(parsed && parsed.confidence);
      if (!values || !conf)
        throw file + ":" + line + ": 解答データ of " + got[0] + ': "values" and "confidence" must be objects of strings';
      var b = bestCol >= 0 ? row[bestCol] : undefined;
      if (b !== undefined && /^\+?\d+$/.test(b) && +b <= 4294967295) rec.best.set(got[0], +b);
      rec.name = got[1];
      rec.date = got[2];
      rec.site_id = got[3];
      rec.exercises.set(got[0], { version: got[4], values: values, confidence: conf });
    });
    return rec;
  }

  // Is v the state a SCORM package's runtime keeps in suspend_data
  // ({"v":2,"e":{…}}, generator/src/package/scorm.js)?
  function isState(v) {
    return !!v && typeof v === "object" && v.v === 2 && !!v.e && typeof v.e === "object" && !Array.isArray(v.e);
  }
  // suspend_data as the runtime stores it in an LMS: its JSON with every
  // '"' written as "~" and a few characters percent-encoded.
  function parseWire(file, text) {
    var json, v;
    try {
      json = decodeURIComponent(text.replace(/~/g, '"'));
    } catch (e) {
      throw file + ":1: not a 学習の記録 or SCORM suspend_data: a % is not followed by two hex digits of UTF-8";
    }
    try {
      v = JSON.parse(json);
    } catch (e) {
      throw file + ":1: SCORM suspend_data that is not valid JSON once decoded: " + e.message;
    }
    if (!isState(v)) throw file + ":1: " + NOT_A_RECORD + " (nor the suspend_data of a kenshu SCORM package)";
    return parseState(file, v);
  }
  // A record from the runtime's state: e maps each exercise id to [hash,
  // attempts, best, last, total, flags, graded, free, more] (graded: the
  // answers of the exercise's items in order, joined by "|"; free: other
  // answers by id; more: other fields, confidence among them). It names no
  // trainee, date or site: the name is the file's (山田.txt → 山田), the
  // site this one (the exercises' versions still tell another apart).
  function parseState(file, v) {
    var rec = { file: file, name: file.replace(/(.)\.[^.]*$/, "$1"), date: "", site_id: SAME_SITE, exercises: new Map(), best: new Map() };
    Object.keys(v.e).forEach(function (id) {
      var c = v.e[id];
      if (!Array.isArray(c) || typeof c[0] !== "string")
        throw file + ":1: suspend_data: exercise " + id + " is not [hash, attempts, best, …]";
      var values = new Map();
      var ex = exById.get(id);
      var graded = typeof c[6] === "string" ? c[6] : "";
      if (graded && ex) {
        graded.split("|").forEach(function (a, i) {
          if (a && i < ex.items.length) values.set(ex.items[i].id, a);
        });
      }
      // An answer of the same id among the others wins, as the runtime
      // reads them back.
      var free = c[7] && typeof c[7] === "object" && !Array.isArray(c[7]) ? c[7] : {};
      Object.keys(free).forEach(function (k) {
        if (typeof free[k] === "string") values.set(k, free[k]);
      });
      var more = c[8] && typeof c[8] === "object" && !Array.isArray(c[8]) ? c[8] : {};
      if (Number.isInteger(c[2]) && c[2] >= 0 && c[2] <= 4294967295) rec.best.set(id, c[2]);
      rec.exercises.set(id, { version: c[0], values: values, confidence: mapOf(more.confidence) || new Map() });
    });
    return rec;
  }

  function parseRecord(file, text) {
    var body = text.replace(/^\ufeff/, "");
    var first = body.replace(/^\s+/, "");
    if (first.indexOf("{~") === 0) return parseWire(file, first.replace(/\s+$/, ""));
    if (first[0] === "{") return parseJson(file, body);
    if (first.indexOf("演習ID,") === 0) return parseCsv(file, body);
    throw file + ":1: " + NOT_A_RECORD;
  }

  function isRight(item, value) {
    var got = chosen(value);
    return (
      got.length > 0 &&
      got.every(function (g) { return item.answer.indexOf(g) >= 0; }) &&
      item.answer.every(function (a) { return got.indexOf(a) >= 0; })
    );
  }
  function answerText(item, value) {
    return chosen(value)
      .map(function (id) {
        for (var i = 0; i < item.options.length; i++) if (item.options[i][0] === id) return item.options[i][1];
        return id;
      })
      .join("／");
  }
  function percent(s) {
    return s.answered > 0 ? Math.floor((s.right * 200 + s.answered) / (2 * s.answered)) : null;
  }

  function aggregate(records) {
    var leftOut = [], kept = [], byName = new Map();
    records.forEach(function (r) {
      if (r.site_id !== site.id && r.site_id !== SAME_SITE) {
        leftOut.push([r.file, "別のサイトの記録"]);
        return;
      }
      var name = r.name.trim();
      var at = name && byName.has(name) ? byName.get(name) : -1;
      if (at < 0) {
        if (name) byName.set(name, kept.length);
        kept.push(r);
      }
      else if (kept[at].date > r.date) leftOut.push([r.file, name + " の古い記録"]);
      else {
        leftOut.push([kept[at].file, name + " の古い記録"]);
        kept[at] = r;
      }
    });
    var trainees = kept.map(function (r) {
      return { file: r.file, name: r.name.trim(), date: r.date, done: 0, pre: null, post: null, complete: false };
    });
    // Per trainee: the exercises done, and items right over placed ones.
    var doneIds = kept.map(function () { return []; });
    var rights = kept.map(function () { return 0; });
    var total = 0;
    var exercises = site.exercises.map(function (ex) {
      if (ex.page) total += ex.items.length;
      var stats = ex.items.map(function (i) {
        return { exercise: ex.id, id: i.id, label: i.label, explanation: i.explanation, answered: 0, right: 0, sure_wrong: 0, wrong: new Map() };
      });
      // Per item, what an answer (the raw value) counts as: null when
      // blank, else [right?, its text]. A group's answers repeat, so each
      // distinct value is judged once.
      var seen = ex.items.map(function () { return new Map(); });
      function judge(n, v) {
        var memo = seen[n].get(v);
        if (memo === undefined) {
          var item = ex.items[n];
          memo = chosen(v.trim()).length === 0 ? null : isRight(item, v) ? [true, ""] : [false, answerText(item, v)];
          seen[n].set(v, memo);
        }
        return memo;
      }
      kept.forEach(function (r, ti) {
        var got = r.exercises.get(ex.id);
        if (!got) return;
        var vals = got.values;
        var blank = true;
        vals.forEach(function (v) {
          if (blank && v.trim() !== "") blank = false;
        });
        if (blank) return;
        if (got.version !== ex.version) {
          leftOut.push([r.file, ex.id + ": 別の版の演習"]);
          return;
        }
        var t = trainees[ti];
        t.done++;
        doneIds[ti].push(ex.id);
        var right = 0;
        ex.items.forEach(function (item, n) {
          var v = vals.get(item.id);
          if (v === undefined) return;
          var j = judge(n, v);
          if (j === null) return;
          var s = stats[n];
          s.answered++;
          if (j[0]) {
            s.right++;
            right++;
          } else {
            s.wrong.set(j[1], (s.wrong.get(j[1]) || 0) + 1);
            if (got.confidence.get(item.id) === "sure") s.sure_wrong++;
          }
        });
        if (ex.page) rights[ti] += Math.min(r.best.get(ex.id) || 0, ex.items.length);
        if (ex.check === "pre" || ex.check === "post") {
          var p = t[ex.check] || [0, 0];
          t[ex.check] = [p[0] + right, p[1] + ex.items.length];
        }
      });
      stats.forEach(function (s) {
        var list = Array.from(s.wrong.keys()).sort().map(function (k) { return [k, s.wrong.get(k)]; });
        list.sort(function (a, b) { return b[1] - a[1]; });
        s.wrong = list;
      });
      return [ex.id, ex.title, stats];
    });
    trainees.forEach(function (t, ti) {
      var allDone = (site.required || []).every(function (id) { return doneIds[ti].indexOf(id) >= 0; });
      t.complete = allDone && (site.passing == null || rights[ti] * 100 >= site.passing * total);
    });
    return { exercises: exercises, trainees: trainees, left_out: leftOut };
  }

  function debrief(report, n) {
    var all = [];
    report.exercises.forEach(function (e) {
      e[2].forEach(function (s) {
        if (s.answered > 0 && s.right < s.answered) all.push(s);
      });
    });
    all.sort(function (a, b) {
      return a.right * b.answered - b.right * a.answered || b.sure_wrong - a.sure_wrong;
    });
    return all.slice(0, n);
  }

  // ── The page ──
  var input = el("input", { type: "file", multiple: "", accept: ".json,.csv,.txt,application/json,text/csv,text/plain", id: "kr-files" });
  var drop = el("div", { class: "kr-drop", tabindex: "0" }, [
    el("label", { for: "kr-files" }, ["記録のファイル（.json / .csv、LMS の suspend_data は .txt）を選ぶ"]),
    " ",
    input,
    el("p", {}, ["またはここにドロップしてください。ファイルはこのブラウザの中だけで読み、どこにも送信しません。"]),
  ]);
  var out = el("div", { class: "kr-out", "aria-live": "polite" });
  host.appendChild(drop);
  host.appendChild(out);
  var style = el("style", {}, [
    ".kr-drop{border:2px dashed #888;padding:1rem;margin:1rem 0}.kr-drop.kr-over{background:#eef}" +
      ".kr table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}.kr th,.kr td{border:1px solid #999;padding:.2rem .4rem;text-align:left;vertical-align:top}" +
      ".kr .n{text-align:right;white-space:nowrap}.kr-hidden{display:none}" +
      // The per-trainee table (a row per record: 1,000 rows for a big
      // group) is laid out only once it scrolls near the screen: the
      // summary above shows without waiting for it. Same DOM and text.
      ".kr-people{content-visibility:auto;contain-intrinsic-size:auto 40rem}" +
      "@media print{.kr-drop,.kr-controls{display:none}.kr-people{content-visibility:visible}@page{size:A4;margin:12mm}}",
  ]);
  host.appendChild(style);

  function pair(p) {
    return p ? p[0] + " / " + p[1] : "—";
  }
  function csvField(s) {
    s = String(s);
    return /[,"\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function show(report, rejected) {
    out.textContent = "";
    out.appendChild(
      el("p", { class: "kr-counts" }, [
        "集計した記録 ", el("strong", { "data-count": "included" }, [String(report.trainees.length)]),
        " 件、除外 ", el("strong", { "data-count": "left-out" }, [String(report.left_out.length)]),
        " 件、読めなかったファイル ", el("strong", { "data-count": "rejected" }, [String(rejected.length)]), " 件",
      ])
    );
    var d = debrief(report, 5);
    if (d.length) {
      out.appendChild(el("h2", {}, ["先に振り返る項目"]));
      out.appendChild(
        el("ol", { class: "kr-debrief" }, d.map(function (s) {
          var kids = [el("strong", {}, [s.label]), "（" + s.exercise + "）正答率 " + percent(s) + "%、自信ありの誤答 " + s.sure_wrong + " 件"];
          if (s.explanation) kids.push(el("br"), el("small", {}, ["解説：" + s.explanation]));
          var ex = site.exercises.filter(function (e) { return e.id === s.exercise; })[0];
          var links = [];
          if (ex && ex.page) links.push(el("a", { href: root + pageUrl(ex.page) + "#exercise-" + ex.id }, ["演習のページ"]));
          if (keyHref) links.push(el("a", { href: keyHref + "#key-" + s.exercise }, ["解答一覧"]));
          if (links.length) kids.push(" ", el("span", { class: "kr-links" }, links.reduce(function (a, l) {
            return a.length ? a.concat(["・", l]) : [l];
          }, [])));
          return el("li", {}, kids);
        }))
      );
    }
    var csv = ["演習ID,項目ID,項目,回答,正答,正答率,自信ありの誤答,多かった誤答"];
    report.exercises.forEach(function (e) {
      if (!e[2].length) return;
      out.appendChild(el("h2", { id: "ex-" + e[0] }, [e[1]]));
      var body = e[2].map(function (s) {
        var p = percent(s);
        var wrong = s.wrong.slice(0, 3).map(function (w) { return w[0] + "（" + w[1] + "）"; }).join("、");
        csv.push([e[0], s.id, s.label, s.answered, s.right, p === null ? "" : p, s.sure_wrong, wrong].map(csvField).join(","));
        return el("tr", { "data-item": s.id }, [
          el("td", {}, [s.label]),
          el("td", { class: "n" }, [String(s.answered)]),
          el("td", { class: "n" }, [p === null ? "—" : p + "%"]),
          el("td", { class: "n" }, [String(s.sure_wrong)]),
          el("td", {}, [wrong]),
        ]);
      });
      out.appendChild(
        el("table", { class: "kr-items", "data-exercise": e[0] }, [
          el("thead", {}, [el("tr", {}, [el("th", {}, ["項目"]), el("th", { class: "n" }, ["回答"]), el("th", { class: "n" }, ["正答率"]), el("th", { class: "n" }, ["自信ありの誤答"]), el("th", {}, ["多かった誤答"])])]),
          el("tbody", {}, body),
        ])
      );
    });
    var toggle = el("button", { type: "button", class: "kr-toggle" }, ["受講者の一覧を隠す"]);
    var dl = el("button", { type: "button", class: "kr-csv" }, ["項目ごとの表を CSV でダウンロード"]);
    out.appendChild(el("p", { class: "kr-controls" }, [dl, " ", toggle]));
    out.appendChild(el("p", { class: "kr-complete" }, [
      "修了 ", el("strong", { "data-count": "complete" }, [String(report.trainees.filter(function (t) { return t.complete; }).length)]), " 人",
    ]));
    var people = el("section", { class: "kr-people" }, [
      el("h2", {}, ["受講者ごと"]),
      el("table", { class: "kr-trainees" }, [
        el("thead", {}, [el("tr", {}, [el("th", {}, ["名前"]), el("th", {}, ["記録日"]), el("th", { class: "n" }, ["取り組んだ演習"]), el("th", { class: "n" }, ["事前"]), el("th", { class: "n" }, ["事後"]), el("th", {}, ["修了"])])]),
        el("tbody", {}, report.trainees.map(function (t) {
          return el("tr", {}, [
            el("td", {}, [t.name || "（名前なし）"]), el("td", {}, [t.date]),
            el("td", { class: "n" }, [String(t.done)]), el("td", { class: "n" }, [pair(t.pre)]), el("td", { class: "n" }, [pair(t.post)]),
            el("td", {}, [t.complete ? "修了" : "—"]),
          ]);
        })),
      ]),
    ]);
    out.appendChild(people);
    toggle.addEventListener("click", function () {
      var hide = people.classList.toggle("kr-hidden");
      toggle.textContent = hide ? "受講者の一覧を表示" : "受講者の一覧を隠す";
    });
    dl.addEventListener("click", function () {
      var blob = new Blob(["\ufeff" + csv.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
      var a = el("a", { href: URL.createObjectURL(blob), download: "kenshu-集計.csv" });
      document.body.appendChild(a);
      a.click();
      a.remove();
    });
    if (report.left_out.length || rejected.length) {
      out.appendChild(el("h2", {}, ["集計から除いたもの"]));
      out.appendChild(
        el("ul", { class: "kr-left-out" }, report.left_out.map(function (l) {
          return el("li", {}, [l[0] + "：" + l[1]]);
        }).concat(rejected.map(function (r) {
          return el("li", {}, [r]);
        })))
      );
    }
  }

  function mark(name) {
    if (window.performance && performance.mark) performance.mark("kenshu-report:" + name);
  }

  function load(files) {
    files = Array.prototype.slice.call(files).sort(function (a, b) {
      return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    });
    var rejected = [];
    Promise.all(files.map(function (f) {
      if (f.size > MAX_BYTES) {
        rejected.push(f.name + ":1: larger than 5 MB (" + f.size + " bytes): not a 学習の記録");
        return null;
      }
      return f.text().then(function (t) {
        try {
          return parseRecord(f.name, t);
        } catch (e) {
          rejected.push(typeof e === "string" ? e : f.name + ":1: " + NOT_A_RECORD);
          return null;
        }
      }, function () {
        rejected.push(f.name + ": cannot read");
        return null;
      });
    })).then(function (recs) {
      // Phases for bench/report-records.sh (reading and parsing the files,
      // aggregating, building the tables).
      mark("read");
      var report = aggregate(recs.filter(Boolean));
      mark("aggregated");
      show(report, rejected);
      mark("shown");
      host.setAttribute("data-loaded", String(files.length));
    });
  }
  input.addEventListener("change", function () {
    load(input.files);
  });
  drop.addEventListener("dragover", function (e) {
    e.preventDefault();
    drop.classList.add("kr-over");
  });
  drop.addEventListener("dragleave", function () {
    drop.classList.remove("kr-over");
  });
  drop.addEventListener("drop", function (e) {
    e.preventDefault();
    drop.classList.remove("kr-over");
    load(e.dataTransfer.files);
  });
  // For tests and the bench: the same aggregation on records as text.
  window.kenshuReport = { parseRecord: parseRecord, aggregate: aggregate, debrief: debrief, percent: percent };
})();
